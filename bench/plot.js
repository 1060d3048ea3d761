// @ts-check
/**
 * The scale-curve plot as a self-contained SVG (no plotting service): build time and heap
 * against documents, one line per system. Linear growth shows as a straight line.
 */

const COLORS = { poisk: '#c0392b', minisearch: '#2c3e50', snowball: '#2980b9', postgres: '#27ae60' }

/** @typedef {{ system: string, label: string, points: { x: number, y: number }[] }} Series */

/** @param {{ title: string, yLabel: string, series: Series[] }[]} panels */
export function scalePlot (panels) {
  const width = 460
  const height = 300
  const margin = { left: 64, right: 16, top: 36, bottom: 48 }
  const svgs = panels.map((panel, i) => {
    const points = panel.series.flatMap(series => series.points).filter(p => Number.isFinite(p.y))
    const maxX = niceMax(Math.max(1, ...points.map(p => p.x)))
    const maxY = niceMax(Math.max(1e-9, ...points.map(p => p.y)))
    const sx = (/** @type {number} */ x) => margin.left + (x / maxX) * (width - margin.left - margin.right)
    const sy = (/** @type {number} */ y) => height - margin.bottom - (y / maxY) * (height - margin.top - margin.bottom)
    const ticks = [0, 0.25, 0.5, 0.75, 1]
    const grid = ticks.map(t => `<line x1="${margin.left}" x2="${width - margin.right}" y1="${sy(t * maxY)}" y2="${sy(t * maxY)}" stroke="#ddd"/>` +
      `<text x="${margin.left - 6}" y="${sy(t * maxY) + 4}" text-anchor="end">${format(t * maxY)}</text>` +
      `<text x="${sx(t * maxX)}" y="${height - margin.bottom + 16}" text-anchor="middle">${format(t * maxX)}</text>`).join('')
    const lines = panel.series.map((series, k) => {
      const color = COLORS[/** @type {keyof typeof COLORS} */ (series.system)] ?? '#888'
      const valid = series.points.filter(p => Number.isFinite(p.y))
      const path = valid.map(p => `${sx(p.x)},${sy(p.y)}`).join(' ')
      const dots = valid.map(p => `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="3" fill="${color}"/>`).join('')
      const legend = `<rect x="${margin.left + 8}" y="${margin.top + 4 + k * 16}" width="10" height="10" fill="${color}"/><text x="${margin.left + 22}" y="${margin.top + 13 + k * 16}">${escape(series.label)}</text>`
      return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>${dots}${legend}`
    }).join('')
    return `<g transform="translate(${i * width},0)">` +
      `<text x="${width / 2}" y="20" text-anchor="middle" font-weight="bold">${escape(panel.title)}</text>${grid}` +
      `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#333"/>` +
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#333"/>` +
      `<text x="${width / 2}" y="${height - 10}" text-anchor="middle">documents</text>` +
      `<text transform="translate(14,${height / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>${lines}</g>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width * panels.length}" height="${height}" font-family="sans-serif" font-size="11">` +
    `<rect width="100%" height="100%" fill="white"/>${svgs.join('')}</svg>\n`
}

function niceMax (/** @type {number} */ value) {
  const step = 10 ** Math.floor(Math.log10(value))
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * step >= value) return m * step
  return 10 * step
}

function format (/** @type {number} */ value) {
  if (value >= 1000) return `${Math.round(value / 100) / 10}k`
  return String(Math.round(value * 10) / 10)
}

function escape (/** @type {string} */ text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}
