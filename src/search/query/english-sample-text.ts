/**
 * English sample text used to train the letter-bigram model (see letter-bigram-model.ts).
 *
 * Why: the wrong-layout detector compares "how English does this Latin string look"
 * with "how Russian does its layout conversion look". A few kilobytes of news-style
 * prose plus common tech, brand and place words is enough for a letter-pair model,
 * keeps the package dependency-free and makes the model auditable.
 * Letters outside a–z are ignored.
 */
export const ENGLISH_SAMPLE_TEXT = `
The president met with members of the government on Monday to discuss the economy, the
budget and social support for families. According to the finance minister, federal
revenue grew this year, while spending on health care and education will be increased.
The central bank kept its key interest rate unchanged, saying that inflation is slowing
down gradually. Analysts believe the currency will remain stable in the coming months,
although much depends on the price of oil and natural gas.
An international forum was held in the capital, where speakers discussed the development
of technology, artificial intelligence and the digital economy. The founder of the
messaging app told reporters about new features and the plans of his company. Users of
social networks are actively sharing news, photos and videos and writing comments.
The foreign ministry said that talks between the delegations would continue next week.
Both sides agreed on a ceasefire and an exchange of prisoners. The secretary general of
the organization called on all countries to respect international law. The supreme court
reviewed the appeal of an opposition politician and upheld the verdict. His lawyers
intend to challenge the decision.
The weather this weekend will be warm and sunny, with temperatures rising to twenty five
degrees. Forecasters warn of strong winds and thunderstorms in the northern districts.
A new exhibition of modern art opened in the city, where visitors can see works by young
artists from different parts of the country.
The football club won the championship match, scoring three goals in the second half.
The head coach thanked the fans for their support. The national hockey team is preparing
for the world championship, which will take place in the spring. The Olympic champion
talked about his plans for the new season.
The governor signed an order to build a new hospital, a school and a kindergarten.
Residents complain about the poor state of the roads and high utility bills. The mayor
promised to repair the bridge and improve public transport. Police detained a suspect
in the theft and opened a criminal case. Investigators launched an inquiry into the fire
at the warehouse; nobody was injured.
Scientists at the university have developed a new method of treatment that could save
thousands of lives. The study was published in a scientific journal. The space agency
reported the successful launch of a rocket carrying a communications satellite. The
military held exercises involving aircraft, helicopters and navy ships.
Lawmakers passed the bill in the first reading. The document provides for fines for
violators and new rules for banks and companies. The committee chairman noted that the
draft law attracted great interest from the public. Elections will be held in
September, and candidates have already started their campaigns.
Prices for food, gasoline and housing continue to rise, the statistics office said in a
report. Salaries and pensions will be indexed from January. The largest companies
reported quarterly profits. Shares fell on the stock exchange after the announcement of
sanctions. Analysts expect the market to recover by the end of the year.
This morning an accident happened in the city centre, and traffic was blocked for several
hours. Rescuers evacuated people from the building and doctors helped the injured.
Witnesses said they heard a loud explosion. The head of the region expressed condolences
to the families of the victims and declared a day of mourning.
Hello, how are you? What is new? Where were you yesterday? Why does nobody call? When
does the meeting start? What time is it? How much is the ticket? Can I buy it online?
We will definitely come if we have time. Thank you, please, good morning, goodbye.
people, time, year, day, night, morning, evening, world, war, peace, country, city,
village, street, square, car, train, plane, phone, computer, internet, website, letter,
word, question, answer, truth, good, bad, big, small, new, old, beautiful, strong, weak,
fast, slow, first, last, main, important, famous, black, white, red, green, blue, yellow,
love, life, happiness, friendship, family, children, mother, father, brother, sister,
friend, house, work, music, movie, theatre, book, writer, poet, history, culture.
apple, iphone, ipad, macbook, google, android, microsoft, windows, amazon, facebook,
instagram, twitter, youtube, telegram, whatsapp, netflix, tesla, nvidia, samsung, intel,
software, hardware, update, download, browser, email, account, password, server, cloud,
startup, bitcoin, crypto, blockchain, market, stock, trade, tariff, deal, summit, trump,
biden, white house, congress, senate, airline, airport, flight, air, astana, london,
paris, berlin, washington, new york, tokyo, beijing, moscow, kyiv, europe, america,
china, india, brazil, germany, france, britain, united nations, security council.
Yesterday evening a concert took place at the community centre, and the tickets were
sold out in a few days. The audience applauded for a long time and asked for an encore.
The organizers promised that next year the festival will be even bigger. Students passed
their exams, graduates received their diplomas, and applicants are submitting documents
to universities. Doctors remind people about the need for vaccination and urge them to
take care of their health. The quick brown fox jumps over the lazy dog. Just keep it
simple, quiet and exactly right: the jury was amazed by the quality of the evidence.
`
