/**
 * The optional LLM judge (`summarize --judge`): a second opinion on each claim against its own
 * spans, beside the verifier and never instead of it. The gate stays the verifier's: a judge's
 * «supported» never lifts a verifier's «unsupported» (`gateVerdict`), and a judge's «unsupported»
 * on a claim the verifier passed is reported as a disagreement for the editor, not a block.
 *
 * Judgements are cached by claim, spans, field, language, provider, model and prompt
 * (`JudgeCache`): the same claim is never judged twice by the same model. Each request is reserved
 * against the run's `Budget` before it is sent, so `--max-cost` stops the judge before a limit; what
 * is left is reported as deferred. A judge with Message Batches (Anthropic) gets one batch per run,
 * whose id is saved before waiting, so the next run collects it instead of paying again.
 */
import { messageOf } from '../../errors.js';
import { addUsage } from '../../llm/cost.js';
import { InvalidOutputError, LlmError } from '../../llm/errors.js';
import type { JudgeOutcome, JudgeProvider, JudgeRequest } from '../../llm/judge.js';
import type { Budget, BudgetLimit } from '../summarize/index.js';
import type { ClaimVerdict, TokenUsage } from '../types.js';
import { type Judgement, type JudgeCache, judgementKey } from './cache.js';

/** One claim to judge, with where it comes from (for the report). */
export interface JudgeTask {
  itemId: string;
  url: string;
  /** `field.index` of the claim. */
  ref: string;
  request: JudgeRequest;
  /** The verifier's verdict, reported beside the judge's. */
  verifier: ClaimVerdict;
}

export interface JudgedClaim {
  itemId: string;
  url: string;
  ref: string;
  verifier: ClaimVerdict;
  /** Null when not judged in this run (budget, failure, batch still running). */
  judge: Judgement | null;
  /** What publication uses: always the verifier's verdict (see `gateVerdict`). */
  gate: ClaimVerdict;
  /** The judge calls unsupported what the verifier passed: for the editor's eyes. */
  isDisagreement: boolean;
}

export interface JudgeBatchOptions {
  /** Between status polls, ms (default 30,000). */
  pollMs?: number;
  /** Give up waiting after this long, ms (default 24 h); the batch is collected by the next run. */
  maxWaitMs?: number;
  /** Injected so tests do not sleep on real time. */
  sleep?: (ms: number) => Promise<void>;
}

export interface JudgeDeps {
  judge: JudgeProvider;
  cache: JudgeCache;
  budget: Budget;
  clock: () => Date;
  batch?: JudgeBatchOptions;
}

export interface JudgeRunResult {
  claims: JudgedClaim[];
  /** Requests sent in this run (batch requests included). */
  calls: number;
  /** Claims answered from the cache. */
  cached: number;
  /** Claims left unjudged (budget or a batch still running). */
  deferred: number;
  stoppedBy?: BudgetLimit;
  failures: { ref: string; url: string; message: string }[];
  batches: { submitted: string[]; resumed: string[] };
  usage: TokenUsage;
  costUsd: number;
}

/** The gate: the verifier's verdict, whatever the judge said. The judge never lifts «unsupported» and never blocks alone. */
export function gateVerdict(verifier: ClaimVerdict, _judge?: Judgement | null): ClaimVerdict {
  return verifier;
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0 };

/** Judge every task's claim (cached ones from the cache), within the budget. Saves the cache. */
export async function runJudge(tasks: readonly JudgeTask[], deps: JudgeDeps): Promise<JudgeRunResult> {
  const { judge, cache, budget } = deps;
  const before = { usage: budget.usage, cost: budget.costUsd };
  const out: JudgeRunResult = {
    claims: [],
    calls: 0,
    cached: 0,
    deferred: 0,
    failures: [],
    batches: { submitted: [], resumed: [] },
    usage: ZERO,
    costUsd: 0,
  };
  const keyOf = new Map(tasks.map((t) => [t, judgementKey(t.request, judge.name, judge.model)]));
  const byKey = new Map<string, JudgeTask[]>();
  for (const t of tasks) byKey.set(keyOf.get(t)!, [...(byKey.get(keyOf.get(t)!) ?? []), t]);
  const fresh = [...byKey.keys()].filter((k) => cache.get(k) === undefined);
  out.cached = tasks.filter((t) => cache.get(keyOf.get(t)!) !== undefined).length;

  const store = (key: string, r: { verdict: Judgement['verdict']; reason: string; usage: TokenUsage }): void => {
    cache.put(key, {
      verdict: r.verdict,
      reason: r.reason,
      provider: judge.name,
      model: judge.model,
      at: deps.clock().toISOString(),
      usage: r.usage,
    });
  };
  const fail = (key: string, err: unknown): void => {
    for (const t of byKey.get(key) ?? []) out.failures.push({ ref: t.ref, url: t.url, message: `${t.url} ${t.ref}: ${messageOf(err)}` });
  };

  const { waiting, toSend } = plan(fresh, byKey, deps, out);
  const estimateOf = new Map(toSend.map((s) => [s.key, s.estimate]));
  const settle = (key: string, usage: TokenUsage): void => {
    budget.settle(estimateOf.get(key), usage);
    estimateOf.delete(key);
  };

  const sink: RunSink = { out, byKey, store, fail, settle };
  if (judge.submitBatch && judge.batchStatus && judge.batchResults) await sendBatch(toSend, waiting, deps, sink);
  else await sendDirect(toSend, deps, sink);
  for (const [key] of estimateOf) settle(key, ZERO); // still in a running batch: reserved, not spent
  await cache.save();

  finish(tasks, keyOf, deps, before, out);
  return out;
}

type Planned = { key: string; estimate: TokenUsage | undefined };

/** Where a run's judgements, failures and spending go. */
interface RunSink {
  out: JudgeRunResult;
  byKey: Map<string, JudgeTask[]>;
  store: (key: string, r: { verdict: Judgement['verdict']; reason: string; usage: TokenUsage }) => void;
  fail: (key: string, err: unknown) => void;
  settle: (key: string, usage: TokenUsage) => void;
}

/** The claims to send as one batch, then every batch waiting (this run's and earlier ones') collected. */
async function sendBatch(toSend: readonly Planned[], waiting: Map<string, string[]>, deps: JudgeDeps, sink: RunSink): Promise<void> {
  const { out, byKey, store, fail, settle } = sink;
  if (toSend.length > 0) {
    try {
      const id = await submit(toSend, byKey, deps);
      waiting.set(
        id,
        toSend.map((x) => x.key),
      );
      out.batches.submitted.push(id);
      out.calls += toSend.length;
    } catch (err) {
      for (const x of toSend) {
        settle(x.key, ZERO);
        fail(x.key, err);
      }
    }
  }
  await collectBatches(waiting, deps, { store, fail, settle, onRetry: () => out.calls++, request: (k) => byKey.get(k)![0]!.request });
}

/** The claims judged one request at a time (a provider without batches). */
async function sendDirect(toSend: readonly Planned[], deps: JudgeDeps, sink: RunSink): Promise<void> {
  const { out, byKey, store, fail, settle } = sink;
  for (const s of toSend) {
    out.calls++;
    try {
      const r = await deps.judge.judge(byKey.get(s.key)![0]!.request);
      settle(s.key, r.usage);
      store(s.key, r);
    } catch (err) {
      settle(s.key, err instanceof InvalidOutputError ? err.usage : ZERO);
      fail(s.key, err);
    }
  }
}

/** Batches an earlier run sent for claims still wanted (collected, not sent again); the rest reserved against the budget. */
function plan(
  fresh: readonly string[],
  byKey: Map<string, JudgeTask[]>,
  deps: JudgeDeps,
  out: JudgeRunResult,
): { waiting: Map<string, string[]>; toSend: Planned[] } {
  const { judge, cache, budget } = deps;
  const waiting = new Map<string, string[]>();
  for (const b of cache.batches) {
    if (b.provider !== judge.name || b.model !== judge.model) continue;
    const keys = b.keys.filter((k) => fresh.includes(k));
    if (keys.length === 0) cache.dropBatch(b.id);
    else {
      waiting.set(b.id, keys);
      out.batches.resumed.push(b.id);
    }
  }
  const inBatch = new Set([...waiting.values()].flat());
  const toSend: { key: string; estimate: TokenUsage | undefined }[] = [];
  for (const key of fresh.filter((k) => !inBatch.has(k))) {
    const estimate = judge.estimate?.(byKey.get(key)![0]!.request);
    const limit = budget.reserve(estimate);
    if (limit) {
      out.stoppedBy ??= limit;
      continue;
    }
    toSend.push({ key, estimate });
  }
  return { waiting, toSend };
}

/** Submit one batch and record its id before anything else, so a killed run's batch is collected by the next. */
async function submit(toSend: readonly Planned[], byKey: Map<string, JudgeTask[]>, deps: JudgeDeps): Promise<string> {
  const { judge, cache } = deps;
  const id = await judge.submitBatch!(toSend.map((x) => ({ customId: x.key, request: byKey.get(x.key)![0]!.request })));
  cache.putBatch({ id, provider: judge.name, model: judge.model, submittedAt: deps.clock().toISOString(), keys: toSend.map((x) => x.key) });
  await cache.save();
  return id;
}

/** Each task's judgement (or none) beside its verifier verdict; the run's usage and cost from the budget. */
function finish(
  tasks: readonly JudgeTask[],
  keyOf: Map<JudgeTask, string>,
  deps: JudgeDeps,
  before: { usage: TokenUsage; cost: number },
  out: JudgeRunResult,
): void {
  const { cache, budget } = deps;
  for (const t of tasks) {
    const j = cache.get(keyOf.get(t)!) ?? null;
    if (j === null) out.deferred += out.failures.some((f) => f.ref === t.ref && f.url === t.url) ? 0 : 1;
    out.claims.push({
      itemId: t.itemId,
      url: t.url,
      ref: t.ref,
      verifier: t.verifier,
      judge: j,
      gate: gateVerdict(t.verifier, j),
      isDisagreement: j !== null && j.verdict === 'unsupported' && t.verifier !== 'unsupported',
    });
  }
  const diff = (k: keyof TokenUsage): number => (budget.usage[k] ?? 0) - (before.usage[k] ?? 0);
  out.usage = { inputTokens: diff('inputTokens'), outputTokens: diff('outputTokens') };
  if (diff('cacheWriteTokens') > 0) out.usage.cacheWriteTokens = diff('cacheWriteTokens');
  if (diff('cacheReadTokens') > 0) out.usage.cacheReadTokens = diff('cacheReadTokens');
  out.costUsd = Math.round((budget.costUsd - before.cost) * 1_000_000) / 1_000_000;
}

interface Sink {
  store: (key: string, r: { verdict: Judgement['verdict']; reason: string; usage: TokenUsage }) => void;
  fail: (key: string, err: unknown) => void;
  settle: (key: string, usage: TokenUsage) => void;
  onRetry: () => void;
  request: (key: string) => JudgeRequest;
}

/** Poll the batches until they end or the wait runs out; take their results. Unfinished ones stay recorded for the next run. */
async function collectBatches(waiting: Map<string, string[]>, deps: JudgeDeps, sink: Sink): Promise<void> {
  const judge = deps.judge;
  const sleep = deps.batch?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = deps.batch?.pollMs ?? 30_000;
  const maxWaitMs = deps.batch?.maxWaitMs ?? 24 * 3600_000;
  const open = new Set(waiting.keys());
  for (let waited = 0; open.size > 0; waited += pollMs) {
    for (const id of [...open]) {
      let isEnded = false;
      try {
        isEnded = (await judge.batchStatus!(id)).isEnded;
      } catch (err) {
        if (err instanceof LlmError && err.isRetryable) continue;
        for (const k of waiting.get(id)!) sink.fail(k, err);
        open.delete(id);
        deps.cache.dropBatch(id);
        continue;
      }
      if (!isEnded) continue;
      open.delete(id);
      const pending = new Set(waiting.get(id)!);
      try {
        for await (const o of judge.batchResults!(id) as AsyncIterable<JudgeOutcome>) {
          if (!pending.delete(o.customId)) continue;
          await take(o, deps, sink);
        }
      } catch (err) {
        for (const k of pending) sink.fail(k, err);
        pending.clear();
      }
      for (const k of pending)
        sink.fail(k, new LlmError('llm-batch-missing', `batch ${id} returned no judgement`, { isRetryable: true, isFatal: false }));
      deps.cache.dropBatch(id);
    }
    if (open.size === 0 || waited >= maxWaitMs) break;
    await sleep(pollMs);
  }
}

/** One batch result; invalid output is asked once more directly, then a failure. */
async function take(o: JudgeOutcome, deps: JudgeDeps, sink: Sink): Promise<void> {
  if (o.ok) {
    sink.settle(o.customId, o.response.usage);
    sink.store(o.customId, o.response);
    return;
  }
  if (!(o.error instanceof InvalidOutputError)) {
    sink.settle(o.customId, ZERO);
    sink.fail(o.customId, o.error);
    return;
  }
  sink.onRetry();
  try {
    const r = await deps.judge.judge(sink.request(o.customId));
    sink.settle(o.customId, addUsage(o.error.usage, r.usage));
    sink.store(o.customId, r);
  } catch (err) {
    sink.settle(o.customId, addUsage(o.error.usage, err instanceof InvalidOutputError ? err.usage : ZERO));
    sink.fail(o.customId, err);
  }
}
