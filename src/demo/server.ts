import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the eti package (where package.json, demo/ and prompts/ live). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'demo'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the eti package folder (with demo/) above ${fileURLToPath(import.meta.url)}`);
}

export type DemoVersion = 'v1' | 'v2';

export interface DemoServer {
  origin: string;
  /** Serve the other version of the site from now on. */
  setVersion(v: DemoVersion): void;
  /** Requests seen, by path (for tests). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.pdf': 'application/pdf',
};

/**
 * Serve the embedded demo site (demo/site/<version>/) on loopback. `/a/b/` is served from
 * `a/b/index.html`; `{{origin}}` in files becomes the server's origin. ETag and
 * If-None-Match are honoured, so recrawls of unchanged pages get 304s as from a real site.
 * Tries `preferredPort` first (stable URLs across demo runs), else any free port.
 */
export async function startDemoServer(opts: { version?: DemoVersion; preferredPort?: number } = {}): Promise<DemoServer> {
  const siteRoot = path.join(packageRoot(), 'demo', 'site');
  let version: DemoVersion = opts.version ?? 'v1';
  const hits = new Map<string, number>();
  let origin = '';

  const server = http.createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      hits.set(pathname, (hits.get(pathname) ?? 0) + 1);
      const rel = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
      const file = path.join(siteRoot, version, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(path.join(siteRoot, version) + path.sep) || !pathname.match(/\/$|\.(txt|xml|pdf)$/)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      let body: string | Buffer;
      try {
        // Text files are templates ({{origin}}); binary files (PDF) are served as they are.
        body = file.endsWith('.pdf') ? await readFile(file) : (await readFile(file, 'utf8')).replaceAll('{{origin}}', origin);
      } catch {
        res
          .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><title>Fant ikke siden</title><h1>Fant ikke siden</h1>');
        return;
      }
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', etag }).end(body);
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(opts.preferredPort ?? 0);
  } catch {
    await listen(0);
  }
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    setVersion(v) {
      version = v;
    },
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
