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
import type { PageRecord, ReviewLogEntry } from '../../store/records.js';
import { PeriodicFlush } from '../../store/periodic-flush.js';
import { classifyStored } from '../diff/index.js';
import type { Store } from '../../store/store.js';
import { completeSummary, summaryKey } from './summarize.js';
import { planItem, type ItemPlan } from './plan.js';
import { preparePage } from './page-input.js';
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
  if (deps.batch && !canBatch(deps.llm))
    throw new LlmError('llm-no-batch', `the ${deps.llm.name} provider cannot send message batches`, { isRetryable: false, isFatal: true });
  const run = new QueueRun(deps);
  // Summaries are paid for: they, their items and the log go to disk every few seconds (on a timer,
  // so also while requests hang), not only at the end; a run killed halfway loses at most one
  // interval of them. The store is flushed before the log entries of what it now holds.
  const saver = new PeriodicFlush(
    async () => {
      const entries = run.log.splice(0, run.log.length);
      await deps.store.flush();
      await deps.store.appendLog(entries);
      deps.afterFlush?.();
    },
    { everyMs: deps.flushEveryMs ?? 2000, timer: true },
  );
  try {
    for (const source of sources) await run.source(source);
    await run.queue.onIdle();
    await run.runBatches();
  } finally {
    await saver.stop();
  }
  const result = run.result;
  result.usage = run.budget.usage;
  result.costUsd = run.budget.costUsd;
  await deps.store.flush();
  await deps.store.appendLog(run.log);
  if (run.fatal) throw run.fatal;
  result.created.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  // In URL order, not the order concurrent calls finished in: the report is the same for the same store.
  result.deferredUrls.sort();
  return result;
}

/** A page the plan says to summarise, with its source and its review items (mutated as items are made). */
interface PageJob {
  source: ResolvedSource;
  page: PageRecord;
  items: ReviewItem[];
  plan: Extract<ItemPlan, { action: 'removal' | 'summarize' }>;
}

/** One run of `updateReviewQueue`: its result, log, budget and LLM queue, and the steps that change them. */
class QueueRun {
  readonly result: QueueResult = {
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
  readonly log: ReviewLogEntry[] = [];
  readonly queue: PQueue;
  readonly budget: Budget;
  readonly batchJobs: BatchJob[] | undefined;
  // --max-calls is counted in page order as pages are queued (deterministic); tokens and cost
  // when each request is ready to go, from its estimate.
  private callsLeft: number;
  fatal: unknown;

  constructor(private readonly deps: QueueDeps) {
    this.queue = new PQueue({ concurrency: deps.concurrency });
    this.callsLeft = deps.maxCalls ?? Number.POSITIVE_INFINITY;
    this.budget = new Budget(
      {
        ...(deps.maxTokens === undefined ? {} : { maxTokens: deps.maxTokens }),
        ...(deps.maxCostUsd === undefined ? {} : { maxCostUsd: deps.maxCostUsd }),
      },
      priceFor(deps.llm.name, deps.llm.model, deps.prices),
      { isBatch: deps.batch !== undefined },
    );
    this.batchJobs = deps.batch ? [] : undefined;
  }

  /** Every page of one source, in URL order. */
  async source(source: ResolvedSource): Promise<void> {
    const promptHashOfSource = promptHash(this.deps.prompts, source.audience, source.language);
    const shard = await this.deps.store.shard(source.id);
    const byUrl = new Map<string, ReviewItem[]>();
    for (const item of Object.values(shard.reviews)) {
      const list = byUrl.get(item.url) ?? [];
      list.push(item);
      byUrl.set(item.url, list);
    }
    for (const page of Object.values(shard.pages).sort((a, b) => (a.url < b.url ? -1 : 1))) {
      const items = byUrl.get(page.url) ?? [];
      const plan = planItem(page, items);
      if (plan.action === 'skip') continue;
      if (plan.action === 'supersede') {
        this.supersede(items, undefined);
        continue;
      }
      await this.page({ source, page, items, plan }, promptHashOfSource);
    }
  }

  private async page(job: PageJob, sourcePromptHash: string): Promise<void> {
    const { source, page, items, plan } = job;
    if (plan.action === 'removal') {
      await this.enqueue(items, await this.makeItem(job), undefined);
      this.deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'queued-removal', itemId: plan.id });
      return;
    }
    const key = summaryKey({
      contentHash: plan.current.contentHash,
      baseHash: plan.changeBase,
      promptHash: sourcePromptHash,
      provider: this.deps.llm.name,
      model: this.deps.llm.model,
    });
    const cached = await this.deps.store.summary(source.id, key);
    if (cached) {
      this.result.cached++;
      await this.enqueue(items, await this.makeItem(job), cached);
      const event = { sourceId: source.id, url: page.url, itemId: plan.id, isGrounded: cached.grounding.isGrounded };
      this.deps.onEvent?.({ type: 'summary', outcome: 'cached', ...event });
      return;
    }
    if (this.callsLeft <= 0) {
      this.defer(source.id, page.url, 'budget reached (--max-calls)', 'max-calls');
      return;
    }
    this.callsLeft--;
    const item = await this.makeItem(job);
    void this.queue.add(() => this.summarize(job, item));
  }

  /** The pending item for the page (classified only when an item is made, not for a page the budget defers). */
  private async makeItem({ source, page, plan }: PageJob): Promise<ReviewItem> {
    const { kind, current, baseHash, id } = plan;
    const c = await classifyStored(
      this.deps.store.blobs,
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
      createdAt: this.deps.clock().toISOString(),
    };
  }

  /** One LLM summary (or one batch job) for the page, within the budget; a failure is the page's. */
  private async summarize(job: PageJob, item: ReviewItem): Promise<void> {
    if (this.fatal) return;
    const { source, page, items, plan } = job;
    const llm = this.deps.llm;
    let estimate: TokenUsage | undefined;
    let isReserved = false;
    try {
      const prepared = await preparePage(job.source, job.page, plan, this.deps);
      estimate = llm.estimate?.(prepared.request);
      const limit = this.budget.reserve(estimate);
      if (limit) return this.defer(source.id, page.url, `budget reached (--${limit})`, limit);
      isReserved = true;
      if (this.batchJobs) {
        const finish = (s: Summary) => this.enqueue(items, item, s).then(() => undefined);
        this.batchJobs.push({ sourceId: source.id, url: page.url, itemId: plan.id, prepared, estimate, finish });
        return;
      }
      this.result.llmCalls++;
      const res = await llm.summarize(prepared.request);
      const summary = completeSummary(prepared, res, {
        llm,
        clock: this.deps.clock,
        ...(this.deps.prices ? { prices: this.deps.prices } : {}),
        ...(this.deps.targetLix === undefined ? {} : { targetLix: this.deps.targetLix }),
      });
      this.budget.settle(estimate, summary.usage);
      isReserved = false;
      // The stored copy: the original's strings are slices of the page text and keep it alive.
      const stored = this.deps.store.putSummary(source.id, summary);
      await this.enqueue(items, item, stored);
      this.summarized(source.id, page.url, plan.id, stored);
    } catch (err) {
      if (isReserved) this.budget.settle(estimate, err instanceof InvalidOutputError ? err.usage : { inputTokens: 0, outputTokens: 0 });
      // A broken prompt template is the run's problem, not each page's: one error, exit 2.
      if ((err instanceof LlmError && err.isFatal) || err instanceof ConfigError) this.fatal = err;
      const code = err instanceof LlmError ? err.code : 'summarize-failed';
      this.result.failures.push({ url: page.url, sourceId: source.id, stage: 'summarize', code, message: messageOf(err) });
      this.deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'failed', message: messageOf(err) });
    }
  }

  /** The batch jobs gathered by the run, sent as Message Batches (or collected from an earlier run). */
  async runBatches(): Promise<void> {
    const llm = this.deps.llm;
    if (!this.batchJobs || this.batchJobs.length === 0 || this.fatal || !canBatch(llm)) return;
    const b = await runBatchJobs(this.batchJobs, {
      llm,
      store: this.deps.store,
      clock: this.deps.clock,
      budget: this.budget,
      ...(this.deps.prices ? { prices: this.deps.prices } : {}),
      ...(this.deps.targetLix === undefined ? {} : { targetLix: this.deps.targetLix }),
      options: this.deps.batch!,
      onOutcome: (job, o) => {
        if (o.kind === 'summarized') this.summarized(job.sourceId, job.url, job.itemId, o.summary);
        else if (o.kind === 'deferred') this.defer(job.sourceId, job.url, o.message);
        else {
          this.result.failures.push(o.failure);
          this.deps.onEvent?.({ type: 'summary', sourceId: job.sourceId, url: job.url, outcome: 'failed', message: o.failure.message });
        }
      },
    });
    this.result.llmCalls += b.llmCalls;
    this.result.batches = { submitted: b.submitted, resumed: b.resumed };
  }

  private defer(sourceId: string, url: string, message: string, limit?: BudgetLimit): void {
    this.result.deferred++;
    this.result.deferredUrls.push(url);
    if (limit) this.result.stoppedBy ??= limit;
    this.deps.onEvent?.({ type: 'summary', sourceId, url, outcome: 'deferred', message });
  }

  private summarized(sourceId: string, url: string, itemId: string, summary: Summary): void {
    const { content: _content, changeSummary: _change, claims: _claims, ...outcome } = summary;
    this.result.summaries.push(outcome);
    this.deps.onEvent?.({
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
  }

  /** Adds `item` (with its summary) to the page's items, superseding the pending ones. */
  private async enqueue(items: ReviewItem[], item: ReviewItem, summary: Summary | undefined): Promise<void> {
    this.supersede(items, item);
    const withSummary: ReviewItem = summary ? { ...item, summaryId: summary.id } : item;
    items.push(withSummary);
    this.deps.store.putReview(withSummary);
    this.result.created.push(withSummary);
    this.log.push({
      at: withSummary.createdAt,
      by: 'eti',
      action: 'created',
      itemId: withSummary.id,
      url: withSummary.url,
      contentHash: withSummary.contentHash,
      ...(summary ? { summaryId: summary.id, provider: summary.provider, model: summary.model, promptHash: summary.promptHash } : {}),
    });
  }

  /** Marks the page's pending items superseded (by `by`, or by a return to the approved content). */
  private supersede(items: ReviewItem[], by: ReviewItem | undefined): void {
    for (let i = 0; i < items.length; i++) {
      const old = items[i]!;
      if (old.status !== 'pending') continue;
      const next: ReviewItem = {
        ...old,
        status: 'superseded',
        decidedBy: 'eti',
        decidedAt: this.deps.clock().toISOString(),
        note: by ? `superseded by ${by.id}` : 'content returned to the approved version',
      };
      items[i] = next;
      this.deps.store.putReview(next);
      this.log.push({
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
