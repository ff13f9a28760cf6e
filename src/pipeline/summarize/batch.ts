import { messageOf } from '../../errors.js';
import { InvalidOutputError } from '../../llm/errors.js';
import type { PriceTable } from '../../llm/cost.js';
import { LlmError } from '../../llm/errors.js';
import type { BatchingProvider, BatchOutcome } from '../../llm/provider.js';
import type { Store } from '../../store/store.js';
import type { Budget } from './budget.js';
import { completeSummary, type PreparedSummary } from './summarize.js';
import type { PageFailure, Summary, TokenUsage } from '../types.js';

/** One page waiting for a batch result. Pages with the same summary key share one request. */
export interface BatchJob {
  sourceId: string;
  url: string;
  /** The review item the summary is for. */
  itemId: string;
  prepared: PreparedSummary;
  /** The budget reservation made for it (settled when its result comes in). */
  estimate: TokenUsage | undefined;
  /** Store the summary's review item (and its event). */
  finish: (summary: Summary) => Promise<void>;
}

export interface BatchOptions {
  /** Time between status polls, in ms. Default 30,000. */
  pollMs?: number;
  /**
   * How long to wait for the batches to end, in ms (default 24 h, the API's own limit). When it
   * runs out, the batch stays recorded and the next `--batch` run collects it.
   */
  maxWaitMs?: number;
  /** Waits between polls; injectable so tests do not sleep on real time. */
  sleep?: (ms: number) => Promise<void>;
}

export interface BatchDeps {
  llm: BatchingProvider;
  store: Store;
  clock: () => Date;
  budget: Budget;
  prices?: PriceTable;
  targetLix?: number;
  options: BatchOptions;
  /** Called per page: summarised, failed, or deferred (batch still running). */
  onOutcome: (
    job: BatchJob,
    outcome: { kind: 'summarized'; summary: Summary } | { kind: 'failed'; failure: PageFailure } | { kind: 'deferred'; message: string },
  ) => void;
}

export interface BatchRunResult {
  /** Requests sent: one per new batch request, plus direct retries of invalid output. */
  llmCalls: number;
  /** Batch ids submitted in this run. */
  submitted: string[];
  /** Batch ids found in the store from an earlier run and collected (or still waited on). */
  resumed: string[];
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0 };

/**
 * Summarise pages through the Message Batches API: pages already in a batch an earlier run
 * submitted are not sent again (that batch is waited for and collected), the rest go into one
 * new batch whose id is stored and flushed before anything else. Results are validated like
 * direct calls; invalid output is asked again once with a direct call, then recorded as a
 * failure; errored, canceled and expired requests are failures of their page.
 */
export async function runBatchJobs(jobs: readonly BatchJob[], deps: BatchDeps): Promise<BatchRunResult> {
  const out: BatchRunResult = { llmCalls: 0, submitted: [], resumed: [] };
  const byKey = new Map<string, BatchJob[]>();
  for (const j of jobs) byKey.set(j.prepared.key, [...(byKey.get(j.prepared.key) ?? []), j]);

  const waiting = new Map<string, string[]>(); // batch id → keys we collect from it
  for (const rec of deps.store.batches) {
    if (rec.provider !== deps.llm.name || rec.model !== deps.llm.model) continue;
    const keys = rec.customIds.filter((k) => byKey.has(k) && ![...waiting.values()].some((ks) => ks.includes(k)));
    if (keys.length === 0) {
      // Nothing in it is still needed (pages summarised or changed since): forget it.
      deps.store.dropBatch(rec.id);
      continue;
    }
    waiting.set(rec.id, keys);
    out.resumed.push(rec.id);
  }
  const covered = new Set([...waiting.values()].flat());
  const fresh = [...byKey.keys()].filter((k) => !covered.has(k));
  if (fresh.length > 0) {
    let id: string;
    try {
      id = await deps.llm.submitBatch(fresh.map((k) => ({ customId: k, request: byKey.get(k)![0]!.prepared.request })));
    } catch (err) {
      for (const k of fresh) fail(k, err);
      fresh.length = 0;
      id = '';
    }
    if (id) {
      deps.store.putBatch({
        id,
        provider: deps.llm.name,
        model: deps.llm.model,
        submittedAt: deps.clock().toISOString(),
        customIds: fresh,
      });
      await deps.store.flush();
      out.llmCalls += fresh.length;
      out.submitted.push(id);
      waiting.set(id, fresh);
    }
  }

  const sleep = deps.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = deps.options.pollMs ?? 30_000;
  const maxWaitMs = deps.options.maxWaitMs ?? 24 * 3600_000;
  let waited = 0;
  const open = new Set(waiting.keys());
  while (open.size > 0) {
    for (const id of [...open]) {
      let isEnded: boolean;
      try {
        isEnded = (await deps.llm.batchStatus(id)).isEnded;
      } catch (err) {
        if (err instanceof LlmError && err.isRetryable) continue; // ask again at the next poll
        for (const k of waiting.get(id)!) fail(k, err);
        open.delete(id);
        continue;
      }
      if (!isEnded) continue;
      open.delete(id);
      await collect(id, waiting.get(id)!);
    }
    if (open.size === 0) break;
    if (waited >= maxWaitMs) {
      for (const id of open) {
        for (const k of waiting.get(id)!) {
          for (const j of byKey.get(k)!) {
            deps.budget.settle(j.estimate, ZERO);
            deps.onOutcome(j, {
              kind: 'deferred',
              message: `batch ${id} is still running; run "eti summarize --batch" again to collect it`,
            });
          }
        }
      }
      break;
    }
    await sleep(pollMs);
    waited += pollMs;
  }
  await deps.store.flush();
  return out;

  async function collect(id: string, keys: string[]): Promise<void> {
    const pending = new Set(keys);
    let outcomes: AsyncIterable<BatchOutcome>;
    try {
      outcomes = deps.llm.batchResults(id);
      for await (const o of outcomes) {
        if (!pending.delete(o.customId)) continue; // not ours (any more)
        await take(o);
      }
    } catch (err) {
      for (const k of pending) fail(k, err);
      pending.clear();
    }
    for (const k of pending)
      fail(k, new LlmError('llm-batch-missing', `batch ${id} returned no result for this page`, { isRetryable: true, isFatal: false }));
    deps.store.dropBatch(id);
    await deps.store.flush();
  }

  async function take(o: BatchOutcome): Promise<void> {
    const group = byKey.get(o.customId)!;
    const first = group[0]!;
    if (o.ok) {
      await store(group, completeSummary(first.prepared, o.response, { llm: deps.llm, clock: deps.clock, isBatch: true, ...opt() }));
      return;
    }
    if (!(o.error instanceof InvalidOutputError)) {
      fail(o.customId, o.error);
      return;
    }
    // Invalid structured output: asked once more, directly, then recorded as a failure.
    out.llmCalls++;
    try {
      const res = await deps.llm.summarize(first.prepared.request, { attempts: 1 });
      const summary = completeSummary(first.prepared, res, { llm: deps.llm, clock: deps.clock, ...opt() });
      await store(group, summary, o.error.usage);
    } catch (err) {
      fail(o.customId, err, o.error.usage);
    }
  }

  /** Store one summary for every page that asked for it; `extra`: tokens of an invalid batch answer. */
  async function store(group: BatchJob[], summary: Summary, extra: TokenUsage = ZERO): Promise<void> {
    group.forEach((j, i) => deps.budget.settle(j.estimate, i === 0 ? summary.usage : ZERO));
    if (extra !== ZERO) deps.budget.settle(undefined, extra);
    for (const j of group) {
      // The stored copy: the original's strings are slices of the page text and keep it alive.
      const stored = deps.store.putSummary(j.sourceId, summary);
      await j.finish(stored);
      deps.onOutcome(j, { kind: 'summarized', summary: stored });
    }
  }

  function fail(key: string, err: unknown, usage: TokenUsage = ZERO): void {
    byKey.get(key)!.forEach((j, i) => {
      deps.budget.settle(j.estimate, i === 0 ? usage : ZERO);
      const code = err instanceof LlmError ? err.code : 'summarize-failed';
      const message = messageOf(err);
      deps.onOutcome(j, {
        kind: 'failed',
        failure: {
          url: j.url,
          sourceId: j.sourceId,
          stage: 'summarize',
          code,
          message: message.startsWith(j.url) ? message : `${j.url}: ${message}`,
        },
      });
    });
  }

  function opt(): { prices?: PriceTable; targetLix?: number } {
    return { ...(deps.prices ? { prices: deps.prices } : {}), ...(deps.targetLix !== undefined ? { targetLix: deps.targetLix } : {}) };
  }
}
