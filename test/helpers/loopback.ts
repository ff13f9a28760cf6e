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
export const html =
  (body: string, headers: Record<string, string> = {}, status = 200): Handler =>
  (_req, res) =>
    void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);

/** Misbehaving handlers for the hostile tests (HTTP and browser mode share them). */
export const hostile = {
  /** Headers at once, then the body in `parts` pieces, one every `everyMs`. */
  trickle:
    (body: string, parts: number, everyMs: number): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const step = Math.ceil(body.length / parts);
      let at = 0;
      const next = (): void => {
        if (res.destroyed) return;
        if (at >= body.length) return void res.end();
        res.write(body.slice(at, (at += step)));
        setTimeout(next, everyMs);
      };
      next();
    },
  /** Headers and a first piece, then nothing, ever (until the client gives up). */
  stall: (): Handler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.write('<!doctype html><html><body><p>Start');
  },
  /** A declared length, half a body, then the connection reset. */
  resetMidBody: (): Handler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '20000' });
    res.write(`<!doctype html><html><body><main><p>${'Halv side. '.repeat(900)}`);
    setImmediate(() => res.socket?.resetAndDestroy());
  },
  /** `n` answers of `status` (with Retry-After `retryAfterS` when given), then `then`. */
  failFirst: (n: number, status: number, then: Handler, retryAfterS?: number): Handler => {
    let left = n;
    return (req, res) => {
      if (left-- > 0)
        return void res
          .writeHead(status, { 'content-type': 'text/plain', ...(retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) }) })
          .end('vent litt');
      then(req, res);
    };
  },
  /** A body of `mb` MB of text, no Content-Length (chunked), so only counting stops it. */
  huge:
    (mb: number): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < mb) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
  /** A redirect. */
  redirect:
    (location: string, status = 302): Handler =>
    (_req, res) =>
      void res.writeHead(status, { location }).end(),
};

/**
 * Virtual time for the politeness gates (crawl deps `now` and `sleep`: a sleep moves the clock on
 * at once), and a handler wrapper that records the virtual time each request arrives. With one
 * request in flight at a time, an arrival's time is the start its gate gave.
 */
export function virtualTime(startIso = '2026-03-01T00:00:00Z'): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  logged: (h: Handler) => Handler;
  arrivals: { path: string; at: number }[];
  /** Gaps between consecutive arrivals, leaving out robots.txt. */
  gaps: () => number[];
} {
  let t = Date.parse(startIso);
  const arrivals: { path: string; at: number }[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    logged: (h) => (q, r) => {
      arrivals.push({ path: q.url ?? '', at: t });
      return h(q, r);
    },
    arrivals,
    gaps: () => {
      const pages = arrivals.filter((a) => a.path !== '/robots.txt');
      return pages.slice(1).map((a, k) => a.at - pages[k]!.at);
    },
  };
}
