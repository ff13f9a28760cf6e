import { UsageError } from '../errors.js';
import { type ModelPrice, priceFor, totalTokens } from '../llm/cost.js';
import type { LlmProvider } from '../llm/provider.js';
import { Budget } from '../pipeline/summarize/index.js';
import type { TokenUsage } from '../pipeline/types.js';
import {
  decideTopic,
  editTopic,
  lastApproved,
  loadMemberPages,
  publishedTopicClaims,
  publishedTopicFields,
  readAllTopicFiles,
  readTopicFile,
  selectMembers,
  staleReason,
  topicLogEntries,
  topicsDirOf,
  updateTopics,
  writeTopicFile,
  type TopicCompilation,
  type TopicBatchOptions,
  type TopicsDeps,
  type TopicsResult,
} from '../pipeline/topics/index.js';
import { bundleTopic, type BundleTopic } from '../pipeline/publish/index.js';
import { publishedTopics } from '../pipeline/topics/index.js';
import { storeDirOf } from '../store/store.js';
import type { Context } from './context.js';
import { parseOverrides } from './review-edit.js';

/**
 * Compile the workspace's topics (as part of `summarize` and `run`): only topics whose members'
 * approved content, prompts or model changed cost an LLM call. Prints one line per compiled or
 * skipped topic page.
 */
export async function runTopics(
  ctx: Context,
  llm: LlmProvider,
  maxCalls?: number,
  limits: TopicLimits = {},
): Promise<TopicsResult | undefined> {
  const loaded = await ctx.config();
  const topics = loaded.config.topics;
  if (topics.length === 0) return undefined;
  const price = priceFor(llm.name, llm.model, loaded.config.summarize.prices);
  const opts: Pick<TopicsDeps, 'budget' | 'batch'> = {
    ...(limits.spent ? { budget: budgetLeft(limits, limits.spent, price, limits.batch === true) } : {}),
    ...(limits.batch
      ? { batch: { ...(limits.batchWait === undefined ? {} : { maxWaitMs: limits.batchWait * 60_000 }), ...limits.batchOptions } }
      : {}),
  };
  const store = await ctx.store();
  const pages = await loadMemberPages(store, loaded.sources, topics);
  const result = await updateTopics(topics, pages, loaded.sources, {
    dir: topicsDirOf(storeDirOf(ctx.workspace)),
    llm,
    prompts: await ctx.prompts(),
    clock: ctx.clock,
    ...(loaded.config.summarize.prices ? { prices: loaded.config.summarize.prices } : {}),
    ...(maxCalls === undefined ? {} : { maxCalls }),
    ...opts,
  });
  ctx.info(
    `Topics: ${result.llmCalls} LLM call${result.llmCalls === 1 ? '' : 's'}, ${result.cached} unchanged, ${result.compiled.length} compiled for review` +
      (result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : '') +
      (result.costUsd > 0 ? `, estimated $${result.costUsd.toFixed(4)}` : ''),
  );
  for (const id of result.batches?.resumed ?? []) ctx.info(`  collected topic batch ${id} (submitted by an earlier run)`);
  for (const id of result.batches?.submitted ?? []) ctx.info(`  submitted topic batch ${id}`);
  for (const c of result.compiled) {
    const bad = c.claims.filter((x) => x.verdict === 'unsupported').length;
    ctx.info(
      `  pending topic ${c.topicId} (${c.audience}) from ${c.members.length} pages: ${bad === 0 ? 'all claims supported' : `${bad} UNSUPPORTED claims`}` +
        (c.broken ? `, ${c.broken.length} claims of the approved page broken` : ''),
    );
  }
  // Waiting for approvals is the normal state of a new topic, not a problem; rules matching nothing is.
  for (const s of result.skipped) {
    const line = `topic ${s.topicId} (${s.audience}) skipped: ${s.reason}`;
    if (s.reason.startsWith('no stored page')) ctx.warn(line);
    else ctx.info(`  ${line}`);
  }
  for (const f of result.failures) ctx.warn(`topic ${f.topicId} (${f.audience}) failed: ${f.message}`);
  ctx.jsonLine({
    type: 'topics-result',
    llmCalls: result.llmCalls,
    cached: result.cached,
    compiled: result.compiled.map((c) => ({ topicId: c.topicId, audience: c.audience, id: c.id })),
    skipped: result.skipped,
    failures: result.failures,
    usage: result.usage,
    costUsd: result.costUsd,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
    ...(result.batches ? { batches: result.batches } : {}),
  });
  return result;
}

/** The run's limits as `summarize`/`run` pass them: what the pages `spent` counts against `--max-tokens`/`--max-cost`. */
export interface TopicLimits {
  maxCost?: number;
  maxTokens?: number;
  batch?: boolean;
  batchWait?: number;
  batchOptions?: TopicBatchOptions;
  spent?: { usage: TokenUsage; costUsd: number };
}

/** What is left of `--max-tokens`/`--max-cost` after `spent` (the pages): the topic pages' budget. */
function budgetLeft(
  limits: TopicLimits,
  spent: { usage: TokenUsage; costUsd: number },
  price: ModelPrice | undefined,
  isBatch: boolean,
): Budget {
  return new Budget(
    {
      ...(limits.maxCost === undefined ? {} : { maxCostUsd: Math.max(0, limits.maxCost - spent.costUsd) }),
      ...(limits.maxTokens === undefined ? {} : { maxTokens: Math.max(0, limits.maxTokens - totalTokens(spent.usage)) }),
    },
    price,
    { isBatch },
  );
}

/** The approved topic pages of the topics sources.yaml still names, in their published form. */
export async function publishableTopics(ctx: Context, ids: readonly string[]): Promise<BundleTopic[]> {
  if (ids.length === 0) return [];
  const files = await readAllTopicFiles(topicsDirOf(storeDirOf(ctx.workspace)));
  return publishedTopics(files.filter((f) => ids.includes(f.topicId))).map(bundleTopic);
}

/**
 * The demo's step: compile the topics from the pages just approved, and approve each compilation
 * whose claims are all supported (one that is not stays pending, said so).
 */
export async function approveDemoTopics(ctx: Context, llm: LlmProvider, by: string): Promise<void> {
  const result = await runTopics(ctx, llm);
  const dir = topicsDirOf(storeDirOf(ctx.workspace));
  for (const comp of result?.compiled ?? []) {
    if (comp.claims.some((c) => c.verdict === 'unsupported')) {
      ctx.warn(`topic ${comp.topicId} left pending (unsupported claims): eti topics show ${comp.topicId}`);
      continue;
    }
    const file = await readTopicFile(dir, comp.topicId);
    const at = ctx.clock().toISOString();
    const before = file.compilations.find((c) => c.id === comp.id) ?? comp;
    const next = decideTopic(before, { status: 'approved', by, at, note: 'approved automatically by eti demo' });
    file.compilations = file.compilations.map((c) => (c.id === comp.id ? next : c));
    await writeTopicFile(dir, file);
    await (await ctx.store()).appendLog(topicLogEntries(before, next, { by, at }));
    ctx.info(`  approved topic ${comp.topicId} (${comp.audience}), compiled from ${comp.members.map((m) => m.sourceName).join(', ')}`);
  }
}

/** Find the compilation a command names: `TOPIC` (its pending one for the audience) or an id prefix. */
function pick(
  comps: readonly TopicCompilation[],
  topicId: string,
  audience: string | undefined,
  id: string | undefined,
  isShow = false,
): TopicCompilation {
  const mine = comps.filter((c) => !audience || c.audience === audience);
  const pending = mine.filter((c) => c.status === 'pending');
  const approved = [...new Set(mine.map((c) => c.audience))].map((a) => lastApproved(mine, a)).filter((c) => c !== undefined);
  // Without --id: the pending compilation; `show` with none pending shows what is published.
  const found = id ? mine.filter((c) => c.id.startsWith(id)) : pending.length > 0 || !isShow ? pending : approved;
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new UsageError(
      `topic ${topicId}: no ${id ? `compilation ${id}` : 'pending compilation'}${audience ? ` for ${audience}` : ''}`,
      'eti topics list',
    );
  }
  throw new UsageError(`topic ${topicId}: ${found.length} compilations match; give --audience or --id`, 'eti topics list');
}

function describe(c: TopicCompilation): string[] {
  const claims = publishedTopicClaims(c);
  const fields = publishedTopicFields(c);
  const lines = [
    `${c.title} (${c.topicId}, ${c.audience}) ${c.status} ${c.id.slice(0, 10)}${c.changeClass ? ` class ${c.changeClass}` : ''}`,
    `members: ${c.members.map((m) => `${m.url} (${m.sourceName})`).join(', ')}`,
  ];
  if (c.broken?.length) {
    lines.push('', 'BROKEN claims of the approved page (their spans are gone):');
    for (const b of c.broken) lines.push(`  ${b.ref} «${b.text}» – ${b.url}: «${b.quote}» ${b.reason}`);
  }
  lines.push('', fields.summary, '');
  for (const claim of claims) {
    const mark = claim.verdict === 'unsupported' ? 'UNSUPPORTED' : claim.verdict;
    const where = claim.spans.map((s) => c.members.find((m) => m.contentHash === s.contentHash)?.sourceName ?? s.contentHash.slice(0, 8));
    lines.push(`  [${mark}] ${claim.field}.${claim.index} ${claim.text}  <- ${[...new Set(where)].join(', ') || 'no source'}`);
    for (const f of claim.findings) lines.push(`      ${f.code}: ${f.reason}`);
  }
  return lines;
}

export interface TopicFlags {
  audience?: string;
  id?: string;
  as?: string;
  note?: string;
  override?: string[];
  field?: string;
  text?: string;
}

export async function listTopics(ctx: Context): Promise<number> {
  ctx.requireWorkspace();
  const loaded = await ctx.config();
  const pages = await loadMemberPages(await ctx.store(), loaded.sources, loaded.config.topics);
  const files = new Map((await readAllTopicFiles(topicsDirOf(storeDirOf(ctx.workspace)))).map((f) => [f.topicId, f]));
  for (const topic of loaded.config.topics) {
    const sel = selectMembers(topic, pages.candidates, pages.approved, loaded.sources);
    for (const audience of topic.audiences) {
      const comps = files.get(topic.id)?.compilations.filter((c) => c.audience === audience) ?? [];
      const approved = lastApproved(comps, audience);
      const pending = comps.filter((c) => c.status === 'pending');
      const stale = approved && sel.ok ? staleReason(approved, sel.members) : undefined;
      const state = [
        approved ? `approved ${approved.id.slice(0, 10)}` : 'not published',
        stale ? `STALE (${stale})` : '',
        pending.length > 0 ? `pending ${pending.map((c) => c.id.slice(0, 10)).join(', ')}` : '',
        sel.ok ? `${sel.members.length} approved members` : `skipped: ${sel.reason}`,
      ].filter(Boolean);
      ctx.info(`${topic.id} (${audience}): ${state.join('; ')}`);
      ctx.jsonLine({
        type: 'topic',
        topicId: topic.id,
        audience,
        approved: approved?.id,
        pending: pending.map((c) => c.id),
        stale,
        skipped: sel.ok ? undefined : sel.reason,
      });
    }
  }
  return 0;
}

export async function changeTopic(
  ctx: Context,
  topicId: string,
  flags: TopicFlags,
  action: 'approve' | 'reject' | 'edit' | 'show',
): Promise<number> {
  ctx.requireWorkspace();
  const loaded = await ctx.config();
  if (!loaded.config.topics.some((t) => t.id === topicId)) throw new UsageError(`unknown topic "${topicId}"`, 'eti topics list');
  const dir = topicsDirOf(storeDirOf(ctx.workspace));
  const file = await readTopicFile(dir, topicId);
  const comp = pick(file.compilations, topicId, flags.audience, flags.id, action === 'show');
  if (action === 'show') {
    for (const line of describe(comp)) ctx.info(line);
    ctx.jsonLine({ type: 'topic-compilation', ...comp });
    return 0;
  }
  const release = await ctx.lock(`topics ${action}`);
  try {
    const actor = { by: await ctx.reviewer(flags.as), at: ctx.clock().toISOString() };
    let next: TopicCompilation;
    if (action === 'edit') {
      if (!flags.field || flags.text === undefined) throw new UsageError('topics edit: give --field NAME and --text TEXT');
      const topic = loaded.config.topics.find((t) => t.id === topicId)!;
      const pages = await loadMemberPages(await ctx.store(), loaded.sources, loaded.config.topics);
      const sel = selectMembers(topic, pages.candidates, pages.approved, loaded.sources);
      const members = sel.ok ? sel.members.filter((m) => comp.members.some((x) => x.contentHash === m.contentHash)) : [];
      next = editTopic(comp, flags.field, flags.text, members);
    } else {
      const parsed = parseOverrides(flags.override ?? []);
      if (parsed.legacy !== undefined) throw new UsageError(`--override "${parsed.legacy}": expected REF=REASON (summary.0="…")`);
      const overrides = Object.fromEntries(parsed.overrides.map((o) => [o.ref, o.reason]));
      next = decideTopic(comp, {
        status: action === 'approve' ? 'approved' : 'rejected',
        ...actor,
        ...(flags.note ? { note: flags.note } : {}),
        overrides,
      });
    }
    file.compilations = file.compilations.map((c) => (c.id === comp.id ? next : c));
    await writeTopicFile(dir, file);
    // The review log is the one audit trail of decisions, pages and topics alike.
    await (await ctx.store()).appendLog(topicLogEntries(comp, next, actor));
    ctx.info(`topic ${topicId} (${next.audience}) ${next.id.slice(0, 10)}: ${action === 'edit' ? 'edited' : next.status}`);
    return 0;
  } finally {
    await release();
  }
}
