/**
 * A static site in a child process of its own, recording when each request arrived: the crawl's
 * event loop (Chromium's messages, extraction, other tests' work) cannot delay the server's clock,
 * so the gaps are the ones a site elsewhere would see.
 */
import { spawn } from 'node:child_process';

export interface SiteRoute {
  type: string;
  body: string;
  /** Answer the first `failFirst` requests with `failStatus` (default 503). */
  failFirst?: number;
  failStatus?: number;
  status?: number;
}

export interface SiteProcess {
  origin: string;
  /** Arrivals of every request but robots.txt, in order, on the child's clock (ms). */
  arrivals: () => Promise<{ path: string; at: number }[]>;
  close: () => Promise<void>;
}

const SCRIPT = `
  const http = require('node:http');
  const routes = JSON.parse(process.env.ROUTES);
  const arrivals = [];
  const seen = new Map();
  process.on('message', () => process.send({ arrivals }));
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    if (p !== '/robots.txt') arrivals.push({ path: p, at: performance.now() });
    const r = routes[p];
    if (!r) return void res.writeHead(404).end();
    const n = (seen.get(p) ?? 0) + 1;
    seen.set(p, n);
    if (n <= (r.failFirst ?? 0)) return void res.writeHead(r.failStatus ?? 503).end('feil');
    res.writeHead(r.status ?? 200, { 'content-type': r.type }).end(r.body);
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));`;

export async function startSiteProcess(routes: Record<string, SiteRoute>): Promise<SiteProcess> {
  const child = spawn(process.execPath, ['-e', SCRIPT], {
    env: { ...process.env, ROUTES: JSON.stringify(routes) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`site process exited with ${code} before listening`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    arrivals: () =>
      new Promise((resolve) => {
        child.once('message', (m: { arrivals: { path: string; at: number }[] }) => resolve(m.arrivals));
        child.send('arrivals');
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
