/**
 * Bringing every topic up to date, as part of `summarize`/`run`: per topic and audience, select the
 * approved members, and compile when no compilation has the current cache key (a member's approved
 * content changed, the prompts or the model changed). A new compilation is pending review; it is
 * compared with the last approved one (change class, claims whose spans broke), and supersedes
 * older pending ones. Topics whose members are all unapproved are skipped with the reason.
 */
import type { ResolvedSource } from '../../config/schema.js';
import type { TopicConfig } from '../../config/topics.js';
import type { PriceTable } from '../../llm/cost.js';
import type { PromptSet } from '../../llm/prompts.js';
import { priceFor } from '../../llm/cost.js';
import { InvalidOutputError } from '../../llm/errors.js';
import { canBatch, type Language, type LlmProvider } from '../../llm/provider.js';
import { messageOf } from '../../errors.js';
import { Budget, type BudgetLimit } from '../summarize/index.js';
import type { TokenUsage } from '../types.js';
import { compileTopicBatch, topicBatchFileOf, type TopicBatchOptions, type TopicBatchOutcome } from './batch.js';
import { classifyChange } from '../diff/index.js';
import { brokenClaims } from './claims.js';
import { completeTopic, type PreparedTopic, prepareTopic } from './compile.js';
import type { CandidatePage } from './members.js';
import { selectMembers } from './members.js';
import { publishedTopicFields, topicText } from './review.js';
import { readTopicFile, writeTopicFile } from './store.js';
import type { TopicCompilation, TopicFile, TopicMember, TopicSkip } from './types.js';

export interface TopicsDeps {
  /** The topics folder (`topicsDirOf(storeDir)`). */
  dir: string;
  llm: LlmProvider;
  prompts: PromptSet;
  clock: () => Date;
  prices?: PriceTable;
  language?: Language;
  /** At most this many LLM calls (`--max-calls` after the pages); the rest is skipped for the next run. */
  maxCalls?: number;
  /**
   * What is left of the run's `--max-tokens`/`--max-cost` after the pages: each topic page is
   * reserved against it before it is sent; one that does not fit is skipped for the next run.
   */
  budget?: Budget;
  /** `--batch`: the topic pages go as one Message Batch (a provider without batches compiles directly). */
  batch?: TopicBatchOptions;
}

export interface TopicsResult {
  compiled: TopicCompilation[];
  /** Topic pages whose cache key had a compilation already: no LLM call. */
  cached: number;
  llmCalls: number;
  skipped: TopicSkip[];
  failures: { topicId: string; audience: string; message: string }[];
  /** What the topic pages used (tokens of every kind) and cost, estimated; batch prices with `--batch`. */
  usage: TokenUsage;
  costUsd: number;
  /** The budget limit that left a topic page for the next run, if one did. */
  stoppedBy?: BudgetLimit;
  /** With `--batch`: the batch ids sent by this run and those collected from an earlier one. */
  batches?: { submitted: string[]; resumed: string[] };
}

/** One topic page to compile: its prepared request, members and budget reservation. */
interface TopicJob {
  prepared: PreparedTopic;
  members: readonly TopicMember[];
  file: TopicFile;
  estimate: TokenUsage | undefined;
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0 };

/** The last approved compilation of an audience (latest decision, ties by id). */
export function lastApproved(comps: readonly TopicCompilation[], audience: string): TopicCompilation | undefined {
  let best: TopicCompilation | undefined;
  for (const c of comps) {
    if (c.audience !== audience || c.status !== 'approved') continue;
    if (!best || (c.decidedAt ?? '') > (best.decidedAt ?? '') || ((c.decidedAt ?? '') === (best.decidedAt ?? '') && c.id > best.id))
      best = c;
  }
  return best;
}

/** Compare a fresh compilation with the last approved one: change class and broken claims. */
function againstApproved(
  comp: TopicCompilation,
  approved: TopicCompilation | undefined,
  members: readonly TopicMember[],
): TopicCompilation {
  if (!approved) return comp;
  const { changeClass } = classifyChange({
    kind: 'changed',
    oldText: topicText(publishedTopicFields(approved)),
    newText: topicText(comp.content),
  });
  const broken = brokenClaims(approved.editedClaims ?? approved.claims, approved.members, members);
  return { ...comp, baseId: approved.id, changeClass, ...(broken.length > 0 ? { broken } : {}) };
}

/**
 * Compile every topic and audience whose cache key has no compilation yet, within `--max-calls`
 * and the budget; directly in topic order, or as one Message Batch with `batch`.
 */
export async function updateTopics(
  topics: readonly TopicConfig[],
  pages: { candidates: readonly CandidatePage[]; approved: ReadonlyMap<string, TopicMember> },
  sources: readonly ResolvedSource[],
  deps: TopicsDeps,
): Promise<TopicsResult> {
  const isBatch = deps.batch !== undefined && canBatch(deps.llm);
  const budget = deps.budget ?? new Budget({}, priceFor(deps.llm.name, deps.llm.model, deps.prices), { isBatch });
  const result: TopicsResult = { compiled: [], cached: 0, llmCalls: 0, skipped: [], failures: [], usage: ZERO, costUsd: 0 };
  const jobs = await planTopics(topics, pages, sources, deps, budget, result);
  const outcomes = isBatch ? await viaBatch(jobs, deps, result) : await direct(jobs, deps, result);
  const dirty = new Set<TopicFile>();
  for (const job of jobs) {
    const { topicId, audience } = job.prepared.input;
    const o = outcomes.get(job.prepared.key)!;
    if (o.kind === 'deferred') {
      budget.settle(job.estimate, ZERO);
      result.skipped.push({ topicId, audience, reason: `left for the next run (${o.message})` });
      continue;
    }
    if (o.kind === 'failed') {
      budget.settle(job.estimate, o.error instanceof InvalidOutputError ? o.error.usage : ZERO);
      result.failures.push({ topicId, audience, message: messageOf(o.error) });
      continue;
    }
    budget.settle(job.estimate, o.response.usage);
    let comp = completeTopic(job.prepared, o.response, { ...deps, isBatch });
    comp = againstApproved(comp, lastApproved(job.file.compilations, audience), job.members);
    for (const c of job.file.compilations) if (c.audience === audience && c.status === 'pending') c.status = 'superseded';
    job.file.compilations.push(comp);
    result.compiled.push(comp);
    dirty.add(job.file);
  }
  for (const file of dirty) await writeTopicFile(deps.dir, file);
  return { ...result, usage: budget.usage, costUsd: budget.costUsd };
}

/** The topic pages to compile, in topic and audience order; skips (no members, --max-calls, budget) recorded in `result`. */
async function planTopics(
  topics: readonly TopicConfig[],
  pages: { candidates: readonly CandidatePage[]; approved: ReadonlyMap<string, TopicMember> },
  sources: readonly ResolvedSource[],
  deps: TopicsDeps,
  budget: Budget,
  result: TopicsResult,
): Promise<TopicJob[]> {
  const jobs: TopicJob[] = [];
  for (const topic of topics) {
    const selection = selectMembers(topic, pages.candidates, pages.approved, sources);
    const file = await readTopicFile(deps.dir, topic.id);
    for (const audience of topic.audiences) {
      if (!selection.ok) {
        result.skipped.push({ topicId: topic.id, audience, reason: selection.reason });
        continue;
      }
      const input = { topicId: topic.id, title: topic.title, audience, language: deps.language ?? 'nb', members: selection.members };
      const prepared = prepareTopic(input, deps);
      if (file.compilations.some((c) => c.id === prepared.key)) {
        result.cached++;
        continue;
      }
      if (deps.maxCalls !== undefined && jobs.length >= deps.maxCalls) {
        result.skipped.push({ topicId: topic.id, audience, reason: 'left for the next run (--max-calls)' });
        continue;
      }
      const estimate = deps.llm.estimate?.(prepared.request);
      const limit = budget.reserve(estimate);
      if (limit) {
        result.stoppedBy ??= limit;
        result.skipped.push({ topicId: topic.id, audience, reason: `left for the next run (--${limit}: the budget left after the pages)` });
        continue;
      }
      jobs.push({ prepared, members: selection.members, file, estimate });
    }
  }
  return jobs;
}

/** One call per topic page, in order; a failure is that page's. */
async function direct(jobs: readonly TopicJob[], deps: TopicsDeps, result: TopicsResult): Promise<Map<string, TopicBatchOutcome>> {
  const out = new Map<string, TopicBatchOutcome>();
  for (const job of jobs) {
    result.llmCalls++;
    try {
      out.set(job.prepared.key, { kind: 'compiled', response: await deps.llm.summarize(job.prepared.request) });
    } catch (err) {
      out.set(job.prepared.key, { kind: 'failed', error: err });
    }
  }
  return out;
}

/** The topic pages as one Message Batch (or collected from an earlier run's). */
async function viaBatch(jobs: readonly TopicJob[], deps: TopicsDeps, result: TopicsResult): Promise<Map<string, TopicBatchOutcome>> {
  if (jobs.length === 0 || !canBatch(deps.llm)) return new Map();
  const r = await compileTopicBatch(new Map(jobs.map((j) => [j.prepared.key, j.prepared])), {
    llm: deps.llm,
    file: topicBatchFileOf(deps.dir),
    clock: deps.clock,
    options: deps.batch ?? {},
  });
  result.llmCalls += r.llmCalls;
  result.batches = { submitted: r.submitted, resumed: r.resumed };
  return r.outcomes;
}
