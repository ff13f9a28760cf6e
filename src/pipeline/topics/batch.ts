/**
 * Topic pages through the Message Batches API (`summarize --batch`, `run --batch`), as page
 * summaries go: one batch per run for the topic pages that need compiling, its id saved in
 * `.eti/topic-batches.json` before waiting, so a run that stops waiting (or is killed) leaves it for
 * the next run to collect instead of paying again. Invalid output is asked again once directly.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-file.js';
import { CannotRunError, messageOf } from '../../errors.js';
import { InvalidOutputError, LlmError } from '../../llm/errors.js';
import type { BatchingProvider, SummaryResponse } from '../../llm/provider.js';
import type { PreparedTopic } from './compile.js';

export interface TopicBatchOptions {
  /** Between status polls, ms (default 30,000). */
  pollMs?: number;
  /** Stop waiting after this long, ms (default 24 h); the batch is collected by the next run. */
  maxWaitMs?: number;
  /** Injected so tests do not sleep on real time. */
  sleep?: (ms: number) => Promise<void>;
}

/** A topic batch submitted and not yet collected. */
export interface PendingTopicBatch {
  id: string;
  provider: string;
  model: string;
  submittedAt: string;
  /** The compilation keys (custom ids) it holds. */
  keys: string[];
}

/** What became of one prepared topic page. */
export type TopicBatchOutcome =
  | { kind: 'compiled'; response: SummaryResponse }
  | { kind: 'failed'; error: unknown }
  | { kind: 'deferred'; message: string };

export interface TopicBatchDeps {
  llm: BatchingProvider;
  /** `.eti/topic-batches.json`. */
  file: string;
  clock: () => Date;
  options: TopicBatchOptions;
}

/** The pending batches file of a topics folder (`.eti/topics` → `.eti/topic-batches.json`). */
export function topicBatchFileOf(topicsDir: string): string {
  return path.join(path.dirname(topicsDir), 'topic-batches.json');
}

async function readPending(file: string): Promise<PendingTopicBatch[]> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { batches?: PendingTopicBatch[] };
    return Array.isArray(data.batches) ? data.batches : [];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CannotRunError('store-unreadable', `${file}: cannot read the pending topic batches (${messageOf(err)})`);
  }
}

async function writePending(file: string, batches: readonly PendingTopicBatch[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ batches }, null, 1)}\n`);
}

/**
 * Compile `jobs` (by key) through batches: keys already in a pending batch of the same provider
 * and model are collected from it, the rest go into one new batch. Returns the outcome per key and
 * the number of requests sent (new batch requests plus direct retries).
 */
export async function compileTopicBatch(
  jobs: ReadonlyMap<string, PreparedTopic>,
  deps: TopicBatchDeps,
): Promise<{ outcomes: Map<string, TopicBatchOutcome>; llmCalls: number; submitted: string[]; resumed: string[] }> {
  const out = { outcomes: new Map<string, TopicBatchOutcome>(), llmCalls: 0, submitted: [] as string[], resumed: [] as string[] };
  let pending = (await readPending(deps.file)).filter(
    (b) => b.provider === deps.llm.name && b.model === deps.llm.model && b.keys.some((k) => jobs.has(k)),
  );
  for (const b of pending) out.resumed.push(b.id);
  const covered = new Set(pending.flatMap((b) => b.keys));
  const fresh = [...jobs.keys()].filter((k) => !covered.has(k));
  if (fresh.length > 0) {
    try {
      const id = await deps.llm.submitBatch(fresh.map((k) => ({ customId: k, request: jobs.get(k)!.request })));
      pending = [...pending, { id, provider: deps.llm.name, model: deps.llm.model, submittedAt: deps.clock().toISOString(), keys: fresh }];
      out.llmCalls += fresh.length;
      out.submitted.push(id);
    } catch (err) {
      for (const k of fresh) out.outcomes.set(k, { kind: 'failed', error: err });
    }
  }
  await writePending(deps.file, pending); // saved before waiting: a killed run leaves it to the next
  const sleep = deps.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = deps.options.pollMs ?? 30_000;
  const maxWaitMs = deps.options.maxWaitMs ?? 24 * 3600_000;
  for (let waited = 0; ; waited += pollMs) {
    for (const b of [...pending]) {
      const state = await statusOf(b, deps, out.outcomes, jobs);
      if (state === 'running') continue;
      if (state === 'ended') out.llmCalls += await collect(b, jobs, deps, out.outcomes);
      pending = pending.filter((x) => x.id !== b.id);
      await writePending(deps.file, pending);
    }
    if (pending.length === 0) break;
    if (waited >= maxWaitMs) {
      for (const b of pending)
        for (const k of b.keys.filter((x) => jobs.has(x)))
          out.outcomes.set(k, { kind: 'deferred', message: `batch ${b.id} is still running; the next --batch run collects it` });
      break;
    }
    await sleep(pollMs);
  }
  return out;
}

/** Where a batch stands; a status error that is not retryable fails its topic pages (and forgets the batch). */
async function statusOf(
  b: PendingTopicBatch,
  deps: TopicBatchDeps,
  outcomes: Map<string, TopicBatchOutcome>,
  jobs: ReadonlyMap<string, PreparedTopic>,
): Promise<'running' | 'ended' | 'failed'> {
  try {
    return (await deps.llm.batchStatus(b.id)).isEnded ? 'ended' : 'running';
  } catch (err) {
    if (err instanceof LlmError && err.isRetryable) return 'running'; // ask again at the next poll
    for (const k of b.keys.filter((x) => jobs.has(x))) outcomes.set(k, { kind: 'failed', error: err });
    return 'failed';
  }
}

/** The results of an ended batch; invalid output asked again once directly. Returns the direct calls made. */
async function collect(
  b: PendingTopicBatch,
  jobs: ReadonlyMap<string, PreparedTopic>,
  deps: TopicBatchDeps,
  outcomes: Map<string, TopicBatchOutcome>,
): Promise<number> {
  let calls = 0;
  for await (const o of deps.llm.batchResults(b.id)) {
    const job = jobs.get(o.customId);
    if (!job) continue; // no longer needed (a member changed since)
    if (o.ok) outcomes.set(o.customId, { kind: 'compiled', response: o.response });
    else if (o.error instanceof InvalidOutputError) {
      calls++;
      try {
        outcomes.set(o.customId, { kind: 'compiled', response: await deps.llm.summarize(job.request) });
      } catch (err) {
        outcomes.set(o.customId, { kind: 'failed', error: err });
      }
    } else outcomes.set(o.customId, { kind: 'failed', error: o.error });
  }
  for (const k of b.keys) {
    if (jobs.has(k) && !outcomes.has(k)) outcomes.set(k, { kind: 'failed', error: new Error(`batch ${b.id} returned no result for it`) });
  }
  return calls;
}
