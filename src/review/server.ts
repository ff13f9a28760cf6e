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
import { AppError, CannotRunError, messageOf, UsageError } from '../errors.js';
import { findItem, RefusedError } from '../pipeline/review/index.js';
import type { ChangeClass, ReviewItem } from '../pipeline/types.js';
import { openStore as openStoreIn } from '../pipeline/upgrade/index.js';
import { Store, storeDirOf } from '../store/store.js';
import { decideItems, editFields, openForWrite } from './actions.js';
import { CHANGE_CLASSES, ITEM_KINDS, loadItem, selectItems } from './items.js';
import { findTopic, pendingTopics, topicItemPage, topicPost, topicQueueSection } from './topics.js';
import { JudgeCache, judgementsOf } from '../pipeline/judge/index.js';
import { OFFLINE_JUDGE_MODEL } from '../pipeline/judge/index.js';
import { cookies, HttpError, readForm, sameSecret } from './http.js';
import { errorPage, type ItemView, itemPage, logPage, QUEUE_PAGE_SIZE, queuePage, refusalText } from './html.js';

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

const MESSAGES: Record<string, string> = {
  approved: 'Godkjent.',
  rejected: 'Avvist.',
  edited: 'Teksten er lagret. Saken venter fortsatt på godkjenning.',
  unchanged: 'Teksten var uendret; ingenting ble lagret.',
};

/** Start the review page. Resolves once it listens; `close()` it when done (tests, Ctrl-C). */
export async function startReviewServer(opts: ReviewServerOptions): Promise<ReviewServer> {
  const host = opts.host ?? '127.0.0.1';
  const isLoopback = LOOPBACK.has(host);
  const token = opts.token ?? (isLoopback ? undefined : randomBytes(24).toString('base64url'));
  const csrf = randomBytes(24).toString('base64url');
  const clock = opts.clock ?? (() => new Date());
  const pageSize = Math.max(1, opts.pageSize ?? QUEUE_PAGE_SIZE);
  const storeDir = storeDirOf(opts.workspace);
  let port = 0;
  let cookieName = '';

  const allowedHosts = (): Set<string> =>
    new Set([`${host.includes(':') ? `[${host}]` : host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  /** Checks every request must pass; returns a Set-Cookie value when the token came in the query. */
  const guard = (req: http.IncomingMessage, url: URL): string | undefined => {
    const hostHeader = req.headers.host ?? '';
    // On loopback the Host must be this server, so a rebound DNS name cannot reach it.
    if (isLoopback && !allowedHosts().has(hostHeader)) throw new HttpError(403, `Ukjent vertsnavn «${hostHeader}».`);
    if (token === undefined) return undefined;
    const fromQuery = url.searchParams.get('token') ?? undefined;
    if (sameSecret(fromQuery, token)) return `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    if (sameSecret(cookies(req).get(cookieName), token)) return undefined;
    throw new HttpError(403, 'Mangler eller feil tilgangsnøkkel: åpne adressen som «eti review --serve» skrev ut.');
  };

  const checkPost = (req: http.IncomingMessage, form: URLSearchParams): void => {
    const own = `http://${req.headers.host ?? ''}`;
    const origin = req.headers.origin;
    const referer = req.headers.referer;
    const isSameOrigin =
      origin !== undefined ? origin === own : referer !== undefined && (referer === own || referer.startsWith(`${own}/`));
    if (!isSameOrigin) throw new HttpError(403, 'Forespørselen kom ikke fra denne siden (Origin stemmer ikke).');
    if (!sameSecret(form.get('csrf') ?? undefined, csrf))
      throw new HttpError(403, 'Skjemaet mangler gyldig sikkerhetsnøkkel (CSRF). Last siden på nytt.');
  };

  const send = (res: http.ServerResponse, status: number, html: string, nonce: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts.
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(html);
  };

  /**
   * The store to read from, reused while no index file changed: at 50,000 pages a fresh load
   * parses every shard (tens of MB of JSON) for each page view. Any write (this page's own, the
   * CLI's, a crawl's flush) changes an index file's mtime or size, and the next request loads
   * the store afresh; a stat of each index file is what a request costs otherwise.
   */
  let cached: { store: Store; stamp: string } | undefined;
  const openStore = async (): Promise<Store> => {
    const stamp = await Store.indexStamp(storeDir);
    if (cached?.stamp === stamp) return cached.store;
    const store = await openStoreIn(storeDir);
    cached = { store, stamp };
    return store;
  };

  async function itemResponse(
    id: string,
    nonce: string,
    forms: { reviewer: string; draft?: string; drafts?: Record<string, string>; message?: { isError: boolean; text: string } },
  ): Promise<string> {
    const store = await openStore();
    const item = findOr404(await store.reviews(), id);
    const sourceName = opts.sourceNames?.get(item.sourceId);
    const view: ItemView = await loadItem(store, item);
    if (view.summary && view.claims) {
      // The judge's opinions beside the verifier's (never the gate); none stored, none shown.
      const judgements = judgementsOf(await JudgeCache.open(opts.workspace), view.summary, view.claims, OFFLINE_JUDGE_MODEL);
      if (Object.keys(judgements).length > 0) view.judgements = judgements;
    }
    return itemPage(view, {
      nonce,
      now: clock(),
      forms: { csrf, ...forms },
      ...(sourceName === undefined ? {} : { sourceName }),
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, nonce: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const setCookie = guard(req, url);
    const extra: Record<string, string> = setCookie ? { 'set-cookie': setCookie } : {};
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          throw new HttpError(400, `Ugyldig adresse «${p}».`);
        }
      });

    if (req.method === 'GET' || req.method === 'HEAD') {
      if (parts.length === 0) {
        const store = await openStore();
        const source = url.searchParams.get('source') || undefined;
        const cls = url.searchParams.get('class') || undefined;
        const kind = url.searchParams.get('kind') || undefined;
        const items = selectItems(
          await store.reviews(),
          {
            ...(source ? { sources: [source] } : {}),
            ...(cls && (CHANGE_CLASSES as readonly string[]).includes(cls) ? { changeClass: cls as ChangeClass } : {}),
            ...(kind && (ITEM_KINDS as readonly string[]).includes(kind) ? { kind: kind as ReviewItem['kind'] } : {}),
          },
          clock(),
        );
        // One page of rows: only its items' pages and summaries are looked up.
        const pageNo = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
        const rows = await Promise.all(
          items.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(async (item) => {
            const page = await store.page(item.sourceId, item.url);
            const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
            return {
              item,
              title: page?.versions.find((v) => v.contentHash === item.contentHash)?.title ?? '',
              isGrounded: summary?.grounding.isGrounded ?? true,
            };
          }),
        );
        const filters = { ...(source ? { source } : {}), ...(cls ? { changeClass: cls } : {}), ...(kind ? { kind } : {}) };
        return send(
          res,
          200,
          queuePage(rows, {
            topics: topicQueueSection(await pendingTopics(opts.workspace)),
            sources: await store.sourceIds(),
            ...(opts.sourceNames ? { sourceNames: opts.sourceNames } : {}),
            filters,
            now: clock(),
            nonce,
            page: pageNo,
            total: items.length,
            pageSize,
          }),
          nonce,
          extra,
        );
      }
      if (parts[0] === 'topic' && parts.length === 3) {
        const message = MESSAGES[url.searchParams.get('done') ?? ''];
        const found = await findTopic(opts.workspace, parts[1]!, parts[2]!);
        if (!found) throw new HttpError(404, `Fant ikke temasiden «${parts[1]}/${parts[2]}».`);
        const forms = { csrf, reviewer: opts.reviewer ?? '', ...(message ? { message: { isError: false, text: message } } : {}) };
        return send(res, 200, topicItemPage(found.comp, found.approved, { nonce, forms }), nonce, extra);
      }
      if (parts.length === 1 && parts[0] === 'log')
        return send(res, 200, logPage(await (await openStore()).log(), { nonce }), nonce, extra);
      if (parts.length === 2 && parts[0] === 'item') {
        const done = url.searchParams.get('done') ?? '';
        const message = MESSAGES[done];
        return send(
          res,
          200,
          await itemResponse(parts[1]!, nonce, {
            reviewer: opts.reviewer ?? '',
            ...(message ? { message: { isError: false, text: message } } : {}),
          }),
          nonce,
          extra,
        );
      }
      throw new HttpError(404, 'Finnes ikke.');
    }

    if (req.method !== 'POST') throw new HttpError(405, `Metoden ${req.method ?? ''} støttes ikke.`);
    const form = await readForm(req);
    checkPost(req, form);
    if (parts[0] === 'topic' && parts.length === 4 && ['approve', 'reject', 'edit'].includes(parts[3]!)) {
      const ctx = { workspace: opts.workspace, csrf, nonce, clock, ...(opts.reviewer ? { reviewer: opts.reviewer } : {}) };
      const r = await topicPost(ctx, parts[1]!, parts[2]!, parts[3]! as 'approve' | 'reject' | 'edit', form);
      if (r.status === 404) throw new HttpError(404, `Fant ikke temasiden «${parts[1]}/${parts[2]}».`);
      if (r.location) return void res.writeHead(303, { location: r.location, 'cache-control': 'no-store', ...extra }).end();
      return send(res, r.status, r.html ?? '', nonce, extra);
    }
    if (parts.length !== 3 || parts[0] !== 'item' || !['approve', 'reject', 'edit'].includes(parts[2]!))
      throw new HttpError(404, 'Finnes ikke.');
    const id = parts[1]!;
    const action = parts[2]!;
    const reviewer = (form.get('reviewer') ?? '').trim() || opts.reviewer || '';
    const draft = form.get('summary') ?? undefined;
    // The other fields' boxes (`field:<name>`) and a reason per unsupported claim (`override:<field.index>`).
    const drafts: Record<string, string> = {};
    const overrides: { ref: string; reason: string }[] = [];
    for (const [k, v] of form) {
      if (k.startsWith('field:')) drafts[k.slice(6)] = v;
      else if (k.startsWith('override:') && v.trim()) overrides.push({ ref: k.slice(9), reason: v.trim() });
    }
    const fail = async (status: number, text: string): Promise<void> =>
      send(
        res,
        status,
        await itemResponse(id, nonce, { reviewer, ...(draft === undefined ? {} : { draft }), drafts, message: { isError: true, text } }),
        nonce,
        extra,
      );
    if (!reviewer) return fail(400, 'Skriv inn navnet ditt: det står i loggen.');
    const actor = { by: reviewer, at: clock().toISOString() };
    let done: string;
    let resultId = id;
    try {
      const { store, release } = await openForWrite(opts.workspace, 'review --serve', clock());
      try {
        if (action === 'edit') {
          const r = await editFields(store, id, { ...drafts, ...(draft === undefined ? {} : { summary: draft }) }, actor);
          done = r.isChanged ? 'edited' : 'unchanged';
          resultId = r.item.id;
        } else {
          const note = (form.get(action === 'reject' ? 'reason' : 'note') ?? '').trim();
          const override = (form.get('override') ?? '').trim();
          if (action === 'reject' && !note) return await fail(400, 'Skriv en begrunnelse for avvisningen.');
          const [decided] = await decideItems(
            store,
            [id],
            {
              status: action === 'approve' ? 'approved' : 'rejected',
              ...(note ? { note } : {}),
              ...(override ? { override } : {}),
              ...(overrides.length > 0 ? { overrides } : {}),
              ...(action === 'approve' && draft !== undefined ? { editedSummary: draft } : {}),
              // The change note field shows the proposal, so what comes back is the editor's confirmed choice.
              ...(action === 'approve' && form.has('change_note')
                ? { changeNote: form.get('change_note') ?? '', isMajor: form.get('minor') !== '1' }
                : {}),
              ...(action === 'approve' && Object.keys(drafts).length > 0 ? { editedFields: drafts } : {}),
            },
            actor,
          );
          done = action === 'approve' ? 'approved' : 'rejected';
          resultId = decided!.id;
        }
      } finally {
        await release();
      }
    } catch (err) {
      if (err instanceof RefusedError) return fail(409, `Ikke lagret: ${refusalText(err.refusal)}`);
      if (err instanceof UsageError) return fail(409, `Ikke lagret: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
      if (err instanceof CannotRunError) return fail(503, `Ikke lagret: ${err.message}`);
      throw err;
    }
    res.writeHead(303, { location: `/item/${encodeURIComponent(resultId)}?done=${done}`, 'cache-control': 'no-store', ...extra }).end();
  }

  const server = http.createServer((req, res) => {
    const nonce = randomBytes(16).toString('base64');
    handle(req, res, nonce).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const text = err instanceof HttpError ? err.message : `Intern feil: ${messageOf(err)}`;
      if (res.headersSent) return void res.end();
      send(res, status, errorPage(status, text, { nonce }), nonce);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new CannotRunError('listen', `cannot listen on ${host}:${opts.port ?? 0}: ${messageOf(err)}`, undefined, err)),
    );
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `eti_review_${port}`;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`,
    ...(token === undefined ? {} : { token }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function findOr404(items: readonly ReviewItem[], id: string): ReviewItem {
  try {
    return findItem(items, id);
  } catch (err) {
    if (err instanceof AppError) throw new HttpError(404, `Fant ikke saken «${id}».`);
    throw err;
  }
}
