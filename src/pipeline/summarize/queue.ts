import PQueue from 'p-queue';
import type { ResolvedSource } from '../../config/schema.js';
import { ConfigError, messageOf } from '../../errors.js';
import type { PromptSet } from '../../llm/prompts.js';
import { promptHash } from '../../llm/prompts.js';
import { canBatch, type LlmProvider } from '../../llm/provider.js';
import { LlmError } from '../../llm/errors.js';
import { InvalidOutputError } from '../../llm/errors.js';
import { priceFor, type PriceTable } from '../../llm/cost.js';
import { runBatchJobs, type BatchJob, type BatchOptions } from './batch.js';
import { Budget, type BudgetLimit } from './budget.js';
import type { ReviewLogEntry, VersionRecord } from '../../store/records.js';
import { PeriodicFlush } from '../../store/periodic-flush.js';
import { classifyStored } from '../diff/index.js';
import type { Store } from '../../store/store.js';
import { diffTexts } from '../diff/index.js';
import { latestApproved, reviewItemId } from '../review/index.js';
import { completeSummary, prepareSummary, summaryKey } from './summarize.js';
import type { PageFailure, ReviewItem, Summary, TokenUsage } from '../types.js';

export interface QueueDeps {
  store: Store;
  llm: LlmProvider;
  prompts: PromptSet;
  clock: () => Date;
  /** Summaries requested at once. */
  concurrency: number;
  /** Stop asking the LLM after this many calls (budget); the rest is left for the next run. */
  maxCalls?: number;
  /** Send no request that would take the run's tokens (all kinds) over this; the rest waits. */
  maxTokens?: number;
  /** Send no request that would take the run's estimated cost (USD) over this; the rest waits. */
  maxCostUsd?: number;
  /** `summarize.prices` (USD per million tokens by model). */
  prices?: PriceTable;
  /** `summarize.target_lix`: LIX a plain summary stays at or under (default 40). */
  targetLix?: number;
  /** Send the pages as one Message Batch (half price; the provider must support batches). */
  batch?: BatchOptions;
  /** Least time between two flushes of the store while summarising (ms); default 2000. */
  flushEveryMs?: number;
  /** Called after each periodic flush (the CLI passes a full GC, as the crawl does). */
  afterFlush?: () => void;
  onEvent?: (e: QueueEvent) => void;
}

export interface QueueEvent {
  type: 'summary';
  sourceId: string;
  url: string;
  outcome: 'summarized' | 'cached' | 'failed' | 'queued-removal' | 'deferred';
  itemId?: string;
  isGrounded?: boolean;
  message?: string;
  /** For a new summary: its tokens, estimated cost (USD) and the summary's LIX. */
  usage?: TokenUsage;
  costUsd?: number;
  lix?: number;
}

/** What a run reports of a summary it made: everything but its text and claims. */
export type SummaryOutcome = Omit<Summary, 'content' | 'changeSummary' | 'claims'>;

export interface QueueResult {
  /** Review items created in this run. */
  created: ReviewItem[];
  /** LLM calls made (cache misses). */
  llmCalls: number;
  cached: number;
  /** Pages left for a later run (budget reached, or their batch still running). */
  deferred: number;
  /** The URLs of those pages, sorted. */
  deferredUrls: string[];
  /** The budget that stopped the run early, if one did. */
  stoppedBy?: BudgetLimit;
  failures: PageFailure[];
  /**
   * Summaries made in this run (not those from the cache), without their text and claims (read
   * those from the store): a run of 10,000 pages does not hold every summary it made.
   */
  summaries: SummaryOutcome[];
  /** Tokens used in this run (failed and retried requests included) and their estimated cost in USD. */
  usage: TokenUsage;
  costUsd: number;
  /** Message batches submitted by this run, and those of an earlier run it collected. */
  batches?: { submitted: string[]; resumed: string[] };
}

/**
 * Bring the review queue up to date with the store: every page whose current content has no
 * review item yet gets a summary (from the cache when this content was summarised before with
 * the same prompts, provider and model) and a pending item; a removed page gets a removal item.
 * Older pending items of the same page are superseded. Idempotent: a second run does nothing,
 * and a run killed halfway is finished by the next one. Never calls the LLM for content it has seen.
 */
export async function updateReviewQueue(sources: readonly ResolvedSource[], deps: QueueDeps): Promise<QueueResult> {
  const result: QueueResult = {
    created: [],
    llmCalls: 0,
    cached: 0,
    deferred: 0,
    deferredUrls: [],
    failures: [],
    summaries: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
  };
  const queue = new PQueue({ concurrency: deps.concurrency });
  const log: ReviewLogEntry[] = [];
  const llm = deps.llm;
  if (deps.batch && !canBatch(llm))
    throw new LlmError('llm-no-batch', `the ${llm.name} provider cannot send message batches`, { isRetryable: false, isFatal: true });
  // --max-calls is counted in page order as pages are queued (deterministic); tokens and cost
  // when each request is ready to go, from its estimate.
  let callsLeft = deps.maxCalls ?? Number.POSITIVE_INFINITY;
  const budget = new Budget(
    {
      ...(deps.maxTokens === undefined ? {} : { maxTokens: deps.maxTokens }),
      ...(deps.maxCostUsd === undefined ? {} : { maxCostUsd: deps.maxCostUsd }),
    },
    priceFor(llm.name, llm.model, deps.prices),
    { isBatch: deps.batch !== undefined },
  );
  const batchJobs: BatchJob[] | undefined = deps.batch ? [] : undefined;
  const defer = (sourceId: string, url: string, message: string, limit?: BudgetLimit): void => {
    result.deferred++;
    result.deferredUrls.push(url);
    if (limit) result.stoppedBy ??= limit;
    deps.onEvent?.({ type: 'summary', sourceId, url, outcome: 'deferred', message });
  };
  const summarized = (sourceId: string, url: string, itemId: string, summary: Summary): void => {
    const { content: _content, changeSummary: _change, claims: _claims, ...outcome } = summary;
    result.summaries.push(outcome);
    deps.onEvent?.({
      type: 'summary',
      sourceId,
      url,
      outcome: 'summarized',
      itemId,
      isGrounded: summary.grounding.isGrounded,
      usage: summary.usage,
      ...(summary.costUsd === undefined ? {} : { costUsd: summary.costUsd }),
      ...(summary.plainLanguage ? { lix: summary.plainLanguage.summary.lix } : {}),
    });
  };
  let fatal: unknown;

  // Summaries are paid for: they, their items and the log go to disk every few seconds (on a timer,
  // so also while requests hang), not only at the end; a run killed halfway loses at most one
  // interval of them. The store is flushed before the log entries of what it now holds.
  const saver = new PeriodicFlush(
    async () => {
      const entries = log.splice(0, log.length);
      await deps.store.flush();
      await deps.store.appendLog(entries);
      deps.afterFlush?.();
    },
    { everyMs: deps.flushEveryMs ?? 2000, timer: true },
  );
  try {
    for (const source of sources) {
      const sourcePromptHash = promptHash(deps.prompts, source.audience, source.language);
      const shard = await deps.store.shard(source.id);
      const byUrl = new Map<string, ReviewItem[]>();
      for (const item of Object.values(shard.reviews)) {
        const list = byUrl.get(item.url) ?? [];
        list.push(item);
        byUrl.set(item.url, list);
      }

      for (const page of Object.values(shard.pages).sort((a, b) => (a.url < b.url ? -1 : 1))) {
        // A version that differs from an earlier one only by noise stands for that one: same item,
        // same summary, nothing new to review (see pipeline/diff/noise.ts).
        const current = effectiveVersion(page.versions);
        if (!current) continue;
        const items = byUrl.get(page.url) ?? [];
        // The same approval the bundle publishes (ties of decidedAt broken alike).
        const approved = latestApproved(items);
        // A page back after its removal was published is new to the bundle again: reviewed as a new
        // page (material), not as a change against its own last text.
        const isBack = !page.removedAt && approved?.kind === 'removed';
        const kind: ReviewItem['kind'] = page.removedAt
          ? 'removed'
          : isBack
            ? 'new'
            : approved || previousVersion(page.versions, current)
              ? 'changed'
              : 'new';
        // Already handled when the page's newest item is for this content. An older item for it does
        // not count: content that comes back after another version (A → B → A, or a page removed
        // twice) is a new step to review, or the bundle would keep publishing B.
        const newest = items.reduce<ReviewItem | undefined>((a, i) => (!a || i.createdAt > a.createdAt ? i : a), undefined);
        if (newest && newest.contentHash === current.contentHash && newest.kind === kind) continue;
        let id = reviewItemId(page.url, current.contentHash, kind);
        for (let n = 2; items.some((i) => i.id === id); n++) id = reviewItemId(page.url, current.contentHash, kind, n);
        // Back to the content already approved (and published): nothing to review.
        if (kind !== 'removed' && approved?.kind !== 'removed' && approved?.contentHash === current.contentHash) {
          supersede(items, undefined);
          continue;
        }
        // A removed page that was never published and has nothing pending needs no decision.
        if (kind === 'removed' && !approved && !items.some((i) => i.status === 'pending')) continue;

        const baseHash = isBack ? undefined : (approved?.contentHash ?? previousVersion(page.versions, current)?.contentHash);
        // Classified only when an item is made (not for a page the budget defers).
        const makeItem = async (): Promise<ReviewItem> => {
          const c = await classifyStored(
            deps.store.blobs,
            page.versions,
            { kind, contentHash: current.contentHash, baseHash },
            { patterns: source.ignoreRe },
          );
          return {
            id,
            sourceId: source.id,
            url: page.url,
            kind,
            contentHash: current.contentHash,
            ...(baseHash && kind !== 'new' ? { baseHash } : {}),
            changeClass: c.changeClass,
            classReasons: c.reasons,
            status: 'pending',
            createdAt: deps.clock().toISOString(),
          };
        };

        if (kind === 'removed') {
          await enqueue(items, await makeItem(), undefined);
          deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'queued-removal', itemId: id });
          continue;
        }

        // The change summary depends on what the content is compared against: that is in the key.
        const changeBase = kind === 'changed' ? baseHash : undefined;
        const key = summaryKey({
          contentHash: current.contentHash,
          baseHash: changeBase,
          promptHash: sourcePromptHash,
          provider: llm.name,
          model: llm.model,
        });
        const cached = await deps.store.summary(source.id, key);
        if (cached) {
          result.cached++;
          await enqueue(items, await makeItem(), cached);
          deps.onEvent?.({
            type: 'summary',
            sourceId: source.id,
            url: page.url,
            outcome: 'cached',
            itemId: id,
            isGrounded: cached.grounding.isGrounded,
          });
          continue;
        }
        if (callsLeft <= 0) {
          defer(source.id, page.url, 'budget reached (--max-calls)', 'max-calls');
          continue;
        }
        callsLeft--;
        const item = await makeItem();
        void queue.add(async () => {
          if (fatal) return;
          let estimate: TokenUsage | undefined;
          let isReserved = false;
          try {
            const baseVersion = baseHash ? page.versions.find((v) => v.contentHash === baseHash) : undefined;
            const [text, markdown, baseText, baseMarkdown] = await Promise.all([
              deps.store.blobs.get(current.contentHash),
              deps.store.blobs.get(current.markdownHash),
              baseHash ? deps.store.blobs.get(baseHash) : Promise.resolve(undefined),
              baseVersion ? deps.store.blobs.get(baseVersion.markdownHash) : Promise.resolve(undefined),
            ]);
            if (text === undefined) throw new Error(`text blob ${current.contentHash} is missing from the store`);
            const change =
              baseText !== undefined ? diffTexts({ url: page.url, sourceId: source.id, oldText: baseText, newText: text }) : undefined;
            const prepared = prepareSummary(
              {
                url: page.url,
                title: current.title,
                text,
                markdown: markdown ?? text,
                contentHash: current.contentHash,
                ...(changeBase ? { baseHash: changeBase } : {}),
                ...(changeBase && (baseMarkdown ?? baseText) !== undefined ? { baseMarkdown: (baseMarkdown ?? baseText)! } : {}),
                audience: source.audience,
                language: source.language,
                ...(change && change.kind === 'changed'
                  ? {
                      change: {
                        oldText: baseText!,
                        added: change.hunks.filter((h) => h.op === 'add').map((h) => h.text),
                        removed: change.hunks.filter((h) => h.op === 'del').map((h) => h.text),
                        changedSentences: change.changedSentences,
                      },
                    }
                  : {}),
              },
              { llm, prompts: deps.prompts },
            );
            estimate = llm.estimate?.(prepared.request);
            const limit = budget.reserve(estimate);
            if (limit) {
              defer(source.id, page.url, `budget reached (--${limit})`, limit);
              return;
            }
            isReserved = true;
            if (batchJobs) {
              batchJobs.push({
                sourceId: source.id,
                url: page.url,
                itemId: id,
                prepared,
                estimate,
                finish: (s) => enqueue(items, item, s).then(() => undefined),
              });
              return;
            }
            result.llmCalls++;
            const res = await llm.summarize(prepared.request);
            const summary = completeSummary(prepared, res, {
              llm,
              clock: deps.clock,
              ...(deps.prices ? { prices: deps.prices } : {}),
              ...(deps.targetLix === undefined ? {} : { targetLix: deps.targetLix }),
            });
            budget.settle(estimate, summary.usage);
            isReserved = false;
            // The stored copy: the original's strings are slices of the page text and keep it alive.
            const stored = deps.store.putSummary(source.id, summary);
            await enqueue(items, item, stored);
            summarized(source.id, page.url, id, stored);
          } catch (err) {
            if (isReserved) budget.settle(estimate, err instanceof InvalidOutputError ? err.usage : { inputTokens: 0, outputTokens: 0 });
            // A broken prompt template is the run's problem, not each page's: one error, exit 2.
            if ((err instanceof LlmError && err.isFatal) || err instanceof ConfigError) fatal = err;
            const code = err instanceof LlmError ? err.code : 'summarize-failed';
            result.failures.push({ url: page.url, sourceId: source.id, stage: 'summarize', code, message: messageOf(err) });
            deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'failed', message: messageOf(err) });
          }
        });
      }

      async function enqueue(items: ReviewItem[], item: ReviewItem, summary: Summary | undefined): Promise<void> {
        supersede(items, item);
        const withSummary: ReviewItem = summary ? { ...item, summaryId: summary.id } : item;
        items.push(withSummary);
        deps.store.putReview(withSummary);
        result.created.push(withSummary);
        log.push({
          at: withSummary.createdAt,
          by: 'eti',
          action: 'created',
          itemId: withSummary.id,
          url: withSummary.url,
          contentHash: withSummary.contentHash,
          ...(summary ? { summaryId: summary.id, provider: summary.provider, model: summary.model, promptHash: summary.promptHash } : {}),
        });
      }

      function supersede(items: ReviewItem[], by: ReviewItem | undefined): void {
        for (let i = 0; i < items.length; i++) {
          const old = items[i]!;
          if (old.status !== 'pending') continue;
          const next: ReviewItem = {
            ...old,
            status: 'superseded',
            decidedBy: 'eti',
            decidedAt: deps.clock().toISOString(),
            note: by ? `superseded by ${by.id}` : 'content returned to the approved version',
          };
          items[i] = next;
          deps.store.putReview(next);
          log.push({
            at: next.decidedAt!,
            by: 'eti',
            action: 'superseded',
            itemId: next.id,
            url: next.url,
            contentHash: next.contentHash,
            ...(next.note ? { note: next.note } : {}),
          });
        }
      }
    }

    await queue.onIdle();
    if (batchJobs && batchJobs.length > 0 && !fatal && canBatch(llm)) {
      const b = await runBatchJobs(batchJobs, {
        llm,
        store: deps.store,
        clock: deps.clock,
        budget,
        ...(deps.prices ? { prices: deps.prices } : {}),
        ...(deps.targetLix === undefined ? {} : { targetLix: deps.targetLix }),
        options: deps.batch!,
        onOutcome: (job, o) => {
          if (o.kind === 'summarized') summarized(job.sourceId, job.url, job.itemId, o.summary);
          else if (o.kind === 'deferred') defer(job.sourceId, job.url, o.message);
          else {
            result.failures.push(o.failure);
            deps.onEvent?.({ type: 'summary', sourceId: job.sourceId, url: job.url, outcome: 'failed', message: o.failure.message });
          }
        },
      });
      result.llmCalls += b.llmCalls;
      result.batches = { submitted: b.submitted, resumed: b.resumed };
    }
  } finally {
    await saver.stop();
  }
  result.usage = budget.usage;
  result.costUsd = budget.costUsd;
  await deps.store.flush();
  await deps.store.appendLog(log);
  if (fatal) throw fatal;
  result.created.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  // In URL order, not the order concurrent calls finished in: the report is the same for the same store.
  result.deferredUrls.sort();
  return result;
}

/** The current version, or the earlier one it repeats but for noise (`noiseOf`). */
export function effectiveVersion(versions: readonly VersionRecord[]): VersionRecord | undefined {
  const current = versions[versions.length - 1];
  if (!current?.noiseOf) return current;
  for (let i = versions.length - 2; i >= 0; i--) if (versions[i]!.contentHash === current.noiseOf) return versions[i];
  return current;
}

/** The version before `version` that is not the same content but for noise. */
function previousVersion(versions: readonly VersionRecord[], version: VersionRecord): VersionRecord | undefined {
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i]!;
    if (v === version || v.contentHash === version.contentHash || v.noiseOf === version.contentHash) continue;
    return v.noiseOf ? (versions.find((w) => w.contentHash === v.noiseOf) ?? v) : v;
  }
  return undefined;
}
