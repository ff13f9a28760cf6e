/**
 * The review page's routes as data: which method and path each answers, and one handler per
 * route. The server (`server.ts`) checks access, CSRF and Origin before a handler runs; a
 * handler reads the store as it is now and writes only through `actions.ts`.
 */
import type http from 'node:http';
import { AppError, CannotRunError, UsageError } from '../errors.js';
import { JudgeCache, judgementsOf, OFFLINE_JUDGE_MODEL } from '../pipeline/judge/index.js';
import { findItem, RefusedError } from '../pipeline/review/index.js';
import type { ChangeClass, ReviewItem } from '../pipeline/types.js';
import type { Store } from '../store/store.js';
import { type Actor, type DecideRequest, decideItems, editFields, openForWrite } from './actions.js';
import { type ItemView, itemPage, logPage, queuePage, refusalText } from './html.js';
import { HttpError, sendHtml } from './http.js';
import { CHANGE_CLASSES, ITEM_KINDS, loadItem, selectItems } from './items.js';
import { findTopic, pendingTopics, topicItemPage, topicPost, topicQueueSection } from './topics.js';

/** What every handler gets of its server: settings, the CSRF token, the clock and the store. */
export interface ServerContext {
  workspace: string;
  /** The name the editor gave (`--as`), put in the forms' reviewer field. */
  reviewer?: string;
  sourceNames?: ReadonlyMap<string, string>;
  csrf: string;
  clock: () => Date;
  pageSize: number;
  /** The store as it is on disk now (reused while no index file changed). */
  openStore: () => Promise<Store>;
}

/** One request as a handler sees it: its path parts (decoded), the form of a POST. */
export interface RouteRequest {
  url: URL;
  parts: string[];
  form: URLSearchParams;
  nonce: string;
  /** Headers every response carries (a Set-Cookie when the token came in the query). */
  extra: Record<string, string>;
  res: http.ServerResponse;
}

interface Route {
  /** GET also answers HEAD. */
  method: 'GET' | 'POST';
  matches: (parts: readonly string[]) => boolean;
  handle: (ctx: ServerContext, r: RouteRequest) => Promise<void>;
}

const ACTIONS = ['approve', 'reject', 'edit'] as const;
type Action = (typeof ACTIONS)[number];
const isAction = (s: string | undefined): s is Action => (ACTIONS as readonly (string | undefined)[]).includes(s);

/** The notice shown after a redirect (`?done=`). */
const MESSAGES: Record<string, string> = {
  approved: 'Godkjent.',
  rejected: 'Avvist.',
  edited: 'Teksten er lagret. Saken venter fortsatt på godkjenning.',
  unchanged: 'Teksten var uendret; ingenting ble lagret.',
};

const doneMessage = (url: URL): { message?: { isError: false; text: string } } => {
  const text = MESSAGES[url.searchParams.get('done') ?? ''];
  return text ? { message: { isError: false, text } } : {};
};

const send = (r: RouteRequest, status: number, html: string): void => sendHtml(r.res, status, html, r.nonce, r.extra);

const redirect = (r: RouteRequest, location: string): void =>
  void r.res.writeHead(303, { location, 'cache-control': 'no-store', ...r.extra }).end();

/** The queue: filtered by source, class and kind, one page of rows (only its items' pages and summaries are read). */
async function queueRoute(ctx: ServerContext, r: RouteRequest): Promise<void> {
  const store = await ctx.openStore();
  const source = r.url.searchParams.get('source') || undefined;
  const cls = r.url.searchParams.get('class') || undefined;
  const kind = r.url.searchParams.get('kind') || undefined;
  const items = selectItems(
    await store.reviews(),
    {
      ...(source ? { sources: [source] } : {}),
      ...(cls && (CHANGE_CLASSES as readonly string[]).includes(cls) ? { changeClass: cls as ChangeClass } : {}),
      ...(kind && (ITEM_KINDS as readonly string[]).includes(kind) ? { kind: kind as ReviewItem['kind'] } : {}),
    },
    ctx.clock(),
  );
  const pageNo = Math.max(1, Number.parseInt(r.url.searchParams.get('page') ?? '1', 10) || 1);
  const rows = await Promise.all(
    items.slice((pageNo - 1) * ctx.pageSize, pageNo * ctx.pageSize).map(async (item) => {
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
  const html = queuePage(rows, {
    topics: topicQueueSection(await pendingTopics(ctx.workspace)),
    sources: await store.sourceIds(),
    ...(ctx.sourceNames ? { sourceNames: ctx.sourceNames } : {}),
    filters,
    now: ctx.clock(),
    nonce: r.nonce,
    page: pageNo,
    total: items.length,
    pageSize: ctx.pageSize,
  });
  send(r, 200, html);
}

async function topicRoute(ctx: ServerContext, r: RouteRequest): Promise<void> {
  const [, topicId, prefix] = r.parts as [string, string, string];
  const found = await findTopic(ctx.workspace, topicId, prefix);
  if (!found) throw new HttpError(404, `Fant ikke temasiden «${topicId}/${prefix}».`);
  const forms = { csrf: ctx.csrf, reviewer: ctx.reviewer ?? '', ...doneMessage(r.url) };
  send(r, 200, topicItemPage(found.comp, found.approved, { nonce: r.nonce, forms }));
}

async function logRoute(ctx: ServerContext, r: RouteRequest): Promise<void> {
  send(r, 200, logPage(await (await ctx.openStore()).log(), { nonce: r.nonce }));
}

async function itemRoute(ctx: ServerContext, r: RouteRequest): Promise<void> {
  send(r, 200, await itemResponse(ctx, r.parts[1]!, r.nonce, { reviewer: ctx.reviewer ?? '', ...doneMessage(r.url) }));
}

async function topicPostRoute(ctx: ServerContext, r: RouteRequest): Promise<void> {
  const [, topicId, prefix, action] = r.parts as [string, string, string, Action];
  const topicCtx = {
    workspace: ctx.workspace,
    csrf: ctx.csrf,
    nonce: r.nonce,
    clock: ctx.clock,
    ...(ctx.reviewer ? { reviewer: ctx.reviewer } : {}),
  };
  const res = await topicPost(topicCtx, topicId, prefix, action, r.form);
  if (res.status === 404) throw new HttpError(404, `Fant ikke temasiden «${topicId}/${prefix}».`);
  if (res.location) return redirect(r, res.location);
  send(r, res.status, res.html ?? '');
}

/** What an item's form asks: who, the summary box, the other fields' boxes and a reason per unsupported claim. */
interface ItemForm {
  reviewer: string;
  draft?: string;
  /** `field:<name>` boxes. */
  drafts: Record<string, string>;
  /** `override:<field.index>` reasons. */
  overrides: { ref: string; reason: string }[];
}

function itemForm(ctx: ServerContext, form: URLSearchParams): ItemForm {
  const drafts: Record<string, string> = {};
  const overrides: { ref: string; reason: string }[] = [];
  for (const [k, v] of form) {
    if (k.startsWith('field:')) drafts[k.slice(6)] = v;
    else if (k.startsWith('override:') && v.trim()) overrides.push({ ref: k.slice(9), reason: v.trim() });
  }
  const draft = form.get('summary') ?? undefined;
  return {
    reviewer: (form.get('reviewer') ?? '').trim() || ctx.reviewer || '',
    ...(draft === undefined ? {} : { draft }),
    drafts,
    overrides,
  };
}

/** The decision an approve or reject form asks for. */
function decideRequest(action: 'approve' | 'reject', form: URLSearchParams, f: ItemForm, note: string): DecideRequest {
  const override = (form.get('override') ?? '').trim();
  const isApprove = action === 'approve';
  return {
    status: isApprove ? 'approved' : 'rejected',
    ...(note ? { note } : {}),
    ...(override ? { override } : {}),
    ...(f.overrides.length > 0 ? { overrides: f.overrides } : {}),
    ...(isApprove && f.draft !== undefined ? { editedSummary: f.draft } : {}),
    // The change note field shows the proposal, so what comes back is the editor's confirmed choice.
    ...(isApprove && form.has('change_note') ? { changeNote: form.get('change_note') ?? '', isMajor: form.get('minor') !== '1' } : {}),
    ...(isApprove && Object.keys(f.drafts).length > 0 ? { editedFields: f.drafts } : {}),
  };
}

/** Approve, reject or edit an item under the workspace lock; a refusal is shown on the item's page with the editor's texts kept. */
async function itemPostRoute(ctx: ServerContext, r: RouteRequest): Promise<void> {
  const [, id, action] = r.parts as [string, string, Action];
  const f = itemForm(ctx, r.form);
  const fail = async (status: number, text: string): Promise<void> =>
    send(
      r,
      status,
      await itemResponse(ctx, id, r.nonce, {
        reviewer: f.reviewer,
        ...(f.draft === undefined ? {} : { draft: f.draft }),
        drafts: f.drafts,
        message: { isError: true, text },
      }),
    );
  if (!f.reviewer) return fail(400, 'Skriv inn navnet ditt: det står i loggen.');
  const actor: Actor = { by: f.reviewer, at: ctx.clock().toISOString() };
  let done: string;
  let resultId = id;
  try {
    const { store, release } = await openForWrite(ctx.workspace, 'review --serve', ctx.clock());
    try {
      if (action === 'edit') {
        const res = await editFields(store, id, { ...f.drafts, ...(f.draft === undefined ? {} : { summary: f.draft }) }, actor);
        done = res.isChanged ? 'edited' : 'unchanged';
        resultId = res.item.id;
      } else {
        const note = (r.form.get(action === 'reject' ? 'reason' : 'note') ?? '').trim();
        if (action === 'reject' && !note) return await fail(400, 'Skriv en begrunnelse for avvisningen.');
        const [decided] = await decideItems(store, [id], decideRequest(action, r.form, f, note), actor);
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
  redirect(r, `/item/${encodeURIComponent(resultId)}?done=${done}`);
}

/** The routes, tried in order. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', matches: (p) => p.length === 0, handle: queueRoute },
  { method: 'GET', matches: (p) => p[0] === 'topic' && p.length === 3, handle: topicRoute },
  { method: 'GET', matches: (p) => p.length === 1 && p[0] === 'log', handle: logRoute },
  { method: 'GET', matches: (p) => p.length === 2 && p[0] === 'item', handle: itemRoute },
  { method: 'POST', matches: (p) => p[0] === 'topic' && p.length === 4 && isAction(p[3]), handle: topicPostRoute },
  { method: 'POST', matches: (p) => p.length === 3 && p[0] === 'item' && isAction(p[2]), handle: itemPostRoute },
];

/** The route for a method (HEAD as GET) and path, or undefined. */
export function routeFor(method: 'GET' | 'POST', parts: readonly string[]): Route | undefined {
  return ROUTES.find((route) => route.method === method && route.matches(parts));
}

/** The item page, with the judge's opinions beside the verifier's (never the gate; none stored, none shown). */
async function itemResponse(
  ctx: ServerContext,
  id: string,
  nonce: string,
  forms: { reviewer: string; draft?: string; drafts?: Record<string, string>; message?: { isError: boolean; text: string } },
): Promise<string> {
  const store = await ctx.openStore();
  const item = findOr404(await store.reviews(), id);
  const sourceName = ctx.sourceNames?.get(item.sourceId);
  const view: ItemView = await loadItem(store, item);
  if (view.summary && view.claims) {
    const judgements = judgementsOf(await JudgeCache.open(ctx.workspace), view.summary, view.claims, OFFLINE_JUDGE_MODEL);
    if (Object.keys(judgements).length > 0) view.judgements = judgements;
  }
  return itemPage(view, {
    nonce,
    now: ctx.clock(),
    forms: { csrf: ctx.csrf, ...forms },
    ...(sourceName === undefined ? {} : { sourceName }),
  });
}

function findOr404(items: readonly ReviewItem[], id: string): ReviewItem {
  try {
    return findItem(items, id);
  } catch (err) {
    if (err instanceof AppError) throw new HttpError(404, `Fant ikke saken «${id}».`);
    throw err;
  }
}
