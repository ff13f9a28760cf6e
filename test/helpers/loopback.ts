/** A loopback HTTP server for tests: routes by path, counts hits, misbehaves on request. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Loopback {
  origin: string;
  hits: Map<string, number>;
  close: () => Promise<void>;
}

export async function startServer(routes: Record<string, Handler>): Promise<Loopback> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    const h = routes[p];
    if (h) h(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Answer with HTML (utf-8 unless a charset is given). */
export const html = (body: string, headers: Record<string, string> = {}, status = 200): Handler => (_req, res) =>
  void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
