/**
 * Tests that need something the machine may lack (Chromium, nginx, root to mount a tmpfs)
 * skip where it is missing and say why. CI sets POISK_REQUIRE_SYSTEM_TESTS=1 after
 * installing everything, and there a missing requirement fails the run instead.
 */
export function systemRequirement (what: string, available: boolean, hint: string): boolean {
  if (available) return true
  const message = `${what} is not available here: ${hint}`
  if (process.env.POISK_REQUIRE_SYSTEM_TESTS === '1') throw new Error(`${message} (POISK_REQUIRE_SYSTEM_TESTS=1 makes this required)`)
  console.warn(`skipping: ${message}`)
  return false
}
