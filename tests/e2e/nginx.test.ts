/**
 * docs/nginx/poisk.conf, run for real: two `poisk serve` replicas behind Debian's nginx on
 * loopback serve one index folder, share the traffic, and both pick up a newly published
 * build. Skipped, saying why, where nginx is not installed (.ci/run installs it).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { FIXTURE_CORPUS } from '../helpers/build-fixture.js'
import { runCli, startServerProcess } from '../helpers/cli.js'
import { systemRequirement } from '../helpers/system-requirement.js'
import { tempDir } from '../helpers/temp-dir.js'

// POISK_NGINX names another nginx binary (or a missing one, to see the test skip as on a machine without it).
const NGINX = (process.env.POISK_NGINX === undefined ? ['/usr/sbin/nginx', '/usr/bin/nginx'] : [process.env.POISK_NGINX]).find(path => existsSync(path))
systemRequirement('nginx', NGINX !== undefined, 'the load-balancer test needs it (apt-get install nginx-light)')

async function freePort (): Promise<number> {
  const { createServer } = await import('node:net')
  return await new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

async function startNginx (upstreams: string[]): Promise<string> {
  const dir = await tempDir('poisk-nginx-')
  const port = await freePort()
  const site = (await readFile('docs/nginx/poisk.conf', 'utf8'))
    .replace(/^\s*server 127\.0\.0\.1:300\d .*\n/gm, '')
    .replace('upstream poisk {', `upstream poisk {\n${upstreams.map(u => `    server ${u} max_fails=3 fail_timeout=5s;`).join('\n')}`)
    .replace('listen 127.0.0.1:8080;', `listen 127.0.0.1:${port};`)
  await writeFile(join(dir, 'poisk.conf'), site)
  await writeFile(join(dir, 'nginx.conf'), `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/poisk.conf;
}
`)
  const check = spawnSync(NGINX as string, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' })
  expect(check.status, check.stderr).toBe(0)
  const child = spawn(NGINX as string, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' })
  onTestFinished(() => { if (child.exitCode === null) child.kill('SIGQUIT') })
  const url = `http://127.0.0.1:${port}`
  await expect.poll(async () => await fetch(`${url}/health`).then(r => r.status, () => 0), { timeout: 10_000 }).toBe(200)
  return url
}

async function searchCount (replica: string): Promise<number> {
  const text = await (await fetch(`${replica}/metrics`)).text()
  const match = /poisk_http_requests_total\{method="GET",route="\/search",status_code="200"\} (\d+)/.exec(text)
  return match === null ? 0 : Number(match[1])
}

describe.skipIf(NGINX === undefined)('nginx in front of several replicas (docs/nginx/poisk.conf)', () => {
  it('spreads requests over the replicas, and every replica picks up a newly published build', async () => {
    const indexDir = resolve(await tempDir())
    expect((await runCli(['index', '--quiet', '--corpus', FIXTURE_CORPUS, '--index', indexDir])).code).toBe(0)
    const env = { TRUST_PROXY: '127.0.0.1' }
    const replicas = await Promise.all([0, 1].map(async () => await startServerProcess(['serve', '--index', indexDir, '--port', '0'], env)))
    const nginx = await startNginx(replicas.map(replica => replica.url.replace('http://', '')))

    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${nginx}/search?q=${encodeURIComponent('Лаврова')}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/) // nginx's $request_id, kept by poisk
    }
    const counts = await Promise.all(replicas.map(async replica => await searchCount(replica.url)))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20)
    for (const count of counts) expect(count).toBeGreaterThan(0)

    const corpus = join(await tempDir(), 'next.jsonl')
    await writeFile(corpus, `${JSON.stringify({ id: 'z-1', title: 'Опубликована новая сборка', body: 'Реплики переключаются сами.' })}\n`)
    const published = await runCli(['index', '--quiet', '--corpus', corpus, '--index', indexDir])
    const buildId = /published build (\S+)/.exec(published.stdout)?.[1]
    expect(buildId, published.stderr).toBeDefined()
    for (const replica of replicas) {
      await expect.poll(async () => (await (await fetch(`${replica.url}/health`)).json() as { buildId: string }).buildId, { timeout: 15_000, interval: 200 }).toBe(buildId)
    }
    const through = await (await fetch(`${nginx}/search?q=${encodeURIComponent('сборка')}`)).json() as { total: number, hits: Array<{ id: string }> }
    expect(through.hits.map(hit => hit.id)).toEqual(['z-1'])
  }, 90_000)
})
