/** HTTP helpers for end-to-end tests of a running server's admin routes. */
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef'
const headers = { authorization: `Bearer ${ADMIN_TOKEN}` }

export interface Status {
  state: string
  current: { buildId: string, documents: number, vocabularyReady: boolean } | null
  lastSuccess: { buildId: string } | null
  lastError: { buildId?: string, message: string } | null
}

export async function adminStatus (url: string): Promise<Status> {
  return await (await fetch(`${url}/admin/status`, { headers })).json() as Status
}

export async function reindex (url: string): Promise<{ buildId: string, joined: boolean }> {
  const response = await fetch(`${url}/admin/reindex`, { method: 'POST', headers })
  if (response.status !== 202) throw new Error(`reindex answered ${response.status}: ${await response.text()}`)
  return await response.json() as { buildId: string, joined: boolean }
}

/** Waits until the build is live (resolves) or reported failed (rejects). */
export async function waitForBuild (url: string, buildId: string, timeoutMs = 60_000): Promise<Status> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const status = await adminStatus(url)
    if (status.current?.buildId === buildId && status.state === 'idle') return status
    if (status.lastError?.buildId === buildId) throw new Error(`build ${buildId} failed: ${status.lastError.message}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`build ${buildId} did not go live in ${timeoutMs} ms`)
}

export async function adminFetch (url: string, init: RequestInit = {}): Promise<Response> {
  const json: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' }
  return await fetch(url, { ...init, headers: { ...headers, ...json } })
}
