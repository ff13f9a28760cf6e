/**
 * `eti review --serve`: a small web page for editors on node:http. Server-rendered HTML and
 * plain forms; the only script is the page's own (its nonce is in the Content-Security-Policy),
 * which remembers the reviewer's name in this browser, and the page works without it.
 *
 * Safety: bound to 127.0.0.1 by default, where the Host header must name this server (no DNS
 * rebinding). Any other address needs an access token (`?token=` once, then a cookie). Every
 * POST must carry this server's random CSRF token and an Origin (or Referer) of this server.
 * Each request reads the store as it is on disk (reloaded when an index file changed), and each
 * write takes the workspace lock, so the page never overwrites what a crawl or the CLI wrote
 * meanwhile.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CannotRunError, messageOf } from '../errors.js';
import { openStore as openStoreIn } from '../pipeline/upgrade/index.js';
import { Store, storeDirOf } from '../store/store.js';
import { errorPage, QUEUE_PAGE_SIZE } from './html.js';
import { cookies, HttpError, readForm, sameSecret, sendHtml } from './http.js';
import { routeFor, type ServerContext } from './routes.js';

export interface ReviewServerOptions {
  /** The workspace whose store (`.eti/`) is reviewed. */
  workspace: string;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Access token. Required (generated when absent) unless `host` is a loopback address. */
  token?: string;
  /**
   * Name put in the form's reviewer field: only a name the editor gave (`--as`). Never guessed
   * (git user.name, $USER): on a shared machine a guess logs decisions under someone else's name.
   */
  reviewer?: string;
  /** Source names (sources.yaml `name`) by id, shown instead of ids; an id without a name is shown as it is. */
  sourceNames?: ReadonlyMap<string, string>;
  /** Clock for decisions and ages; default the real one. */
  clock?: () => Date;
  /** Queue rows per page; default `QUEUE_PAGE_SIZE` (100). */
  pageSize?: number;
}

export interface ReviewServer {
  /** The page's address; carries `?token=` when a token is needed. */
  url: string;
  /** The access token in force, if any. */
  token?: string;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Who may use the page: the address it listens on, and the access token when one is needed. */
interface Access {
  host: string;
  isLoopback: boolean;
  token: string | undefined;
  /** Known once the server listens. */
  port: number;
  cookieName: string;
}

/** Checks every request must pass; returns a Set-Cookie value when the token came in the query. */
function guard(access: Access, req: http.IncomingMessage, url: URL): string | undefined {
  const { host, port, token, cookieName } = access;
  const hostHeader = req.headers.host ?? '';
  const allowedHosts = new Set([
    `${host.includes(':') ? `[${host}]` : host}:${port}`,
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
  ]);
  // On loopback the Host must be this server, so a rebound DNS name cannot reach it.
  if (access.isLoopback && !allowedHosts.has(hostHeader)) throw new HttpError(403, `Ukjent vertsnavn «${hostHeader}».`);
  if (token === undefined) return undefined;
  const fromQuery = url.searchParams.get('token') ?? undefined;
  if (sameSecret(fromQuery, token)) return `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
  if (sameSecret(cookies(req).get(cookieName), token)) return undefined;
  throw new HttpError(403, 'Mangler eller feil tilgangsnøkkel: åpne adressen som «eti review --serve» skrev ut.');
}

/** A POST must come from this server's page (Origin, else Referer) and carry its CSRF token. */
function checkPost(req: http.IncomingMessage, form: URLSearchParams, csrf: string): void {
  const own = `http://${req.headers.host ?? ''}`;
  const origin = req.headers.origin;
  const referer = req.headers.referer;
  const isSameOrigin = origin !== undefined ? origin === own : referer !== undefined && (referer === own || referer.startsWith(`${own}/`));
  if (!isSameOrigin) throw new HttpError(403, 'Forespørselen kom ikke fra denne siden (Origin stemmer ikke).');
  if (!sameSecret(form.get('csrf') ?? undefined, csrf))
    throw new HttpError(403, 'Skjemaet mangler gyldig sikkerhetsnøkkel (CSRF). Last siden på nytt.');
}

/**
 * The store to read from, reused while no index file changed: at 50,000 pages a fresh load
 * parses every shard (tens of MB of JSON) for each page view. Any write (this page's own, the
 * CLI's, a crawl's flush) changes an index file's mtime or size, and the next request loads
 * the store afresh; a stat of each index file is what a request costs otherwise.
 */
function storeReader(storeDir: string): () => Promise<Store> {
  let cached: { store: Store; stamp: string } | undefined;
  return async () => {
    const stamp = await Store.indexStamp(storeDir);
    if (cached?.stamp === stamp) return cached.store;
    const store = await openStoreIn(storeDir);
    cached = { store, stamp };
    return store;
  };
}

/** The path's parts, decoded; a part that does not decode is a 400. */
function pathParts(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new HttpError(400, `Ugyldig adresse «${p}».`);
      }
    });
}

/** One request: access checked, then GET/HEAD to its route, or a POST's form checked and then routed. */
async function handle(
  ctx: ServerContext,
  access: Access,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  nonce: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const setCookie = guard(access, req, url);
  const extra: Record<string, string> = setCookie ? { 'set-cookie': setCookie } : {};
  const parts = pathParts(url);
  const isGet = req.method === 'GET' || req.method === 'HEAD';
  if (!isGet && req.method !== 'POST') throw new HttpError(405, `Metoden ${req.method ?? ''} støttes ikke.`);
  let form = new URLSearchParams();
  if (!isGet) {
    form = await readForm(req);
    checkPost(req, form, ctx.csrf);
  }
  const route = routeFor(isGet ? 'GET' : 'POST', parts);
  if (!route) throw new HttpError(404, 'Finnes ikke.');
  await route.handle(ctx, { url, parts, form, nonce, extra, res });
}

/** Start the review page. Resolves once it listens; `close()` it when done (tests, Ctrl-C). */
export async function startReviewServer(opts: ReviewServerOptions): Promise<ReviewServer> {
  const host = opts.host ?? '127.0.0.1';
  const isLoopback = LOOPBACK.has(host);
  const token = opts.token ?? (isLoopback ? undefined : randomBytes(24).toString('base64url'));
  const access: Access = { host, isLoopback, token, port: 0, cookieName: '' };
  const ctx: ServerContext = {
    workspace: opts.workspace,
    ...(opts.reviewer === undefined ? {} : { reviewer: opts.reviewer }),
    ...(opts.sourceNames === undefined ? {} : { sourceNames: opts.sourceNames }),
    csrf: randomBytes(24).toString('base64url'),
    clock: opts.clock ?? (() => new Date()),
    pageSize: Math.max(1, opts.pageSize ?? QUEUE_PAGE_SIZE),
    openStore: storeReader(storeDirOf(opts.workspace)),
  };
  const server = http.createServer((req, res) => {
    const nonce = randomBytes(16).toString('base64');
    handle(ctx, access, req, res, nonce).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const text = err instanceof HttpError ? err.message : `Intern feil: ${messageOf(err)}`;
      if (res.headersSent) return void res.end();
      sendHtml(res, status, errorPage(status, text, { nonce }), nonce);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new CannotRunError('listen', `cannot listen on ${host}:${opts.port ?? 0}: ${messageOf(err)}`, undefined, err)),
    );
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  access.port = (server.address() as AddressInfo).port;
  access.cookieName = `eti_review_${access.port}`;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${access.port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`,
    ...(token === undefined ? {} : { token }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
