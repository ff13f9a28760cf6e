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
  const run = new BatchRun(jobs, deps);
  run.resume();
  await run.submitFresh();
  await run.waitAndCollect();
  await deps.store.flush();
  return run.out;
}

/** One `runBatchJobs`: the jobs by summary key, the batches waited on and what each outcome settles. */
class BatchRun {
  readonly out: BatchRunResult = { llmCalls: 0, submitted: [], resumed: [] };
  /** Jobs by summary key (a batch request's custom id). */
  readonly #byKey = new Map<string, BatchJob[]>();
  /** Batch id → the keys collected from it. */
  readonly #waiting = new Map<string, string[]>();
  readonly #deps: BatchDeps;

  constructor(jobs: readonly BatchJob[], deps: BatchDeps) {
    this.#deps = deps;
    for (const j of jobs) this.#byKey.set(j.prepared.key, [...(this.#byKey.get(j.prepared.key) ?? []), j]);
  }

  /** Wait on the stored batches of this provider and model that still hold a key we need; forget the others. */
  resume(): void {
    const { store, llm } = this.#deps;
    for (const rec of store.batches) {
      if (rec.provider !== llm.name || rec.model !== llm.model) continue;
      const keys = rec.customIds.filter((k) => this.#byKey.has(k) && ![...this.#waiting.values()].some((ks) => ks.includes(k)));
      if (keys.length === 0) {
        // Nothing in it is still needed (pages summarised or changed since): forget it.
        store.dropBatch(rec.id);
        continue;
      }
      this.#waiting.set(rec.id, keys);
      this.out.resumed.push(rec.id);
    }
  }

  /** Submit one batch of the keys no stored batch covers; its id is stored and flushed before anything else. */
  async submitFresh(): Promise<void> {
    const { store, llm, clock } = this.#deps;
    const covered = new Set([...this.#waiting.values()].flat());
    const fresh = [...this.#byKey.keys()].filter((k) => !covered.has(k));
    if (fresh.length === 0) return;
    let id: string;
    try {
      id = await llm.submitBatch(fresh.map((k) => ({ customId: k, request: this.#byKey.get(k)![0]!.prepared.request })));
    } catch (err) {
      for (const k of fresh) this.#fail(k, err);
      return;
    }
    if (!id) return;
    store.putBatch({ id, provider: llm.name, model: llm.model, submittedAt: clock().toISOString(), customIds: fresh });
    await store.flush();
    this.out.llmCalls += fresh.length;
    this.out.submitted.push(id);
    this.#waiting.set(id, fresh);
  }

  /** Poll every open batch until all have ended (each collected as it ends) or the wait runs out (the rest deferred). */
  async waitAndCollect(): Promise<void> {
    const options = this.#deps.options;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const pollMs = options.pollMs ?? 30_000;
    const maxWaitMs = options.maxWaitMs ?? 24 * 3600_000;
    let waited = 0;
    const open = new Set(this.#waiting.keys());
    while (open.size > 0) {
      for (const id of [...open]) {
        if (await this.#hasEnded(id, open)) await this.#collect(id, this.#waiting.get(id)!);
      }
      if (open.size === 0) break;
      if (waited >= maxWaitMs) {
        for (const id of open) this.#defer(id);
        break;
      }
      await sleep(pollMs);
      waited += pollMs;
    }
  }

  /** Whether a batch has ended (then it is no longer open). A status call that failed for good fails its pages and closes it. */
  async #hasEnded(id: string, open: Set<string>): Promise<boolean> {
    let isEnded: boolean;
    try {
      isEnded = (await this.#deps.llm.batchStatus(id)).isEnded;
    } catch (err) {
      if (err instanceof LlmError && err.isRetryable) return false; // ask again at the next poll
      for (const k of this.#waiting.get(id)!) this.#fail(k, err);
      open.delete(id);
      return false;
    }
    if (isEnded) open.delete(id);
    return isEnded;
  }

  /** A batch still running when the wait ran out: its pages are deferred to the next `--batch` run. */
  #defer(id: string): void {
    for (const k of this.#waiting.get(id)!) {
      for (const j of this.#byKey.get(k)!) {
        this.#deps.budget.settle(j.estimate, ZERO);
        this.#deps.onOutcome(j, {
          kind: 'deferred',
          message: `batch ${id} is still running; run "eti summarize --batch" again to collect it`,
        });
      }
    }
  }

  async #collect(id: string, keys: string[]): Promise<void> {
    const pending = new Set(keys);
    try {
      const outcomes: AsyncIterable<BatchOutcome> = this.#deps.llm.batchResults(id);
      for await (const o of outcomes) {
        if (!pending.delete(o.customId)) continue; // not ours (any more)
        await this.#take(o);
      }
    } catch (err) {
      for (const k of pending) this.#fail(k, err);
      pending.clear();
    }
    for (const k of pending)
      this.#fail(
        k,
        new LlmError('llm-batch-missing', `batch ${id} returned no result for this page`, { isRetryable: true, isFatal: false }),
      );
    this.#deps.store.dropBatch(id);
    await this.#deps.store.flush();
  }

  async #take(o: BatchOutcome): Promise<void> {
    const deps = this.#deps;
    const group = this.#byKey.get(o.customId)!;
    const first = group[0]!;
    if (o.ok) {
      await this.#store(
        group,
        completeSummary(first.prepared, o.response, { llm: deps.llm, clock: deps.clock, isBatch: true, ...this.#opt() }),
      );
      return;
    }
    if (!(o.error instanceof InvalidOutputError)) {
      this.#fail(o.customId, o.error);
      return;
    }
    // Invalid structured output: asked once more, directly, then recorded as a failure.
    this.out.llmCalls++;
    try {
      const res = await deps.llm.summarize(first.prepared.request, { attempts: 1 });
      const summary = completeSummary(first.prepared, res, { llm: deps.llm, clock: deps.clock, ...this.#opt() });
      await this.#store(group, summary, o.error.usage);
    } catch (err) {
      this.#fail(o.customId, err, o.error.usage);
    }
  }

  /** Store one summary for every page that asked for it; `extra`: tokens of an invalid batch answer. */
  async #store(group: BatchJob[], summary: Summary, extra: TokenUsage = ZERO): Promise<void> {
    const deps = this.#deps;
    group.forEach((j, i) => deps.budget.settle(j.estimate, i === 0 ? summary.usage : ZERO));
    if (extra !== ZERO) deps.budget.settle(undefined, extra);
    for (const j of group) {
      // The stored copy: the original's strings are slices of the page text and keep it alive.
      const stored = deps.store.putSummary(j.sourceId, summary);
      await j.finish(stored);
      deps.onOutcome(j, { kind: 'summarized', summary: stored });
    }
  }

  #fail(key: string, err: unknown, usage: TokenUsage = ZERO): void {
    this.#byKey.get(key)!.forEach((j, i) => {
      this.#deps.budget.settle(j.estimate, i === 0 ? usage : ZERO);
      const code = err instanceof LlmError ? err.code : 'summarize-failed';
      const message = messageOf(err);
      this.#deps.onOutcome(j, {
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

  #opt(): { prices?: PriceTable; targetLix?: number } {
    const deps = this.#deps;
    return { ...(deps.prices ? { prices: deps.prices } : {}), ...(deps.targetLix !== undefined ? { targetLix: deps.targetLix } : {}) };
  }
}
