/**
 * `eti run`'s composition: crawl → diff → summarise → publish, the run report (JSON line, run
 * record, job summary) and its exit code. `commands/run.ts` parses the flags and calls `runAll`.
 */
import { appendFile } from 'node:fs/promises';
import { ExitCode } from '../errors.js';
import { type PublishRefusal, PublishRefusedError } from '../pipeline/publish/index.js';
import type { Context } from './context.js';
import { runCrawl } from './crawl.js';
import { runPublish } from './publish.js';
import { runSummarize, type SummarizeFlags } from './summarize.js';

/** `eti run`'s flags: the summarise ones it passes on, and its own. */
export type RunFlags = Pick<
  SummarizeFlags,
  'source' | 'provider' | 'model' | 'maxCalls' | 'maxCost' | 'maxTokens' | 'batch' | 'batchWait'
> & {
  out?: string;
  ci?: boolean;
  allowEmpty?: boolean;
  allowShrink?: boolean;
};

/**
 * crawl → diff → summarise → publish what is approved; returns the exit code. The run's report
 * is stored as a run record (and, with `--ci` and GITHUB_STEP_SUMMARY set, written there as
 * Markdown). Exit codes: 0 done; 1 nothing published where something was (nothing approved any
 * more, or the bundle would drop over half of the published pages: see `publishGuard`; a new
 * workspace with nothing approved and nothing published writes no bundle and is not a failure);
 * 3 some pages or sources failed; with
 * `--ci`, 4 done and this run created items for review (when nothing failed).
 */
export async function runAll(ctx: Context, flags: RunFlags): Promise<number> {
  const startedAt = ctx.clock().toISOString();
  const crawled = await runCrawl(ctx, flags);
  const queued = await runSummarize(ctx, flags);
  const published = await publishStep(ctx, flags);
  const store = await ctx.store();
  const pendingItems = (await store.reviews()).filter((i) => i.status === 'pending');
  const pending = pendingItems.length;
  const failures = [...crawled.failures, ...queued.failures];
  // "For review" means this run gave editors new work; older pending items are the audit's
  // business (eti audit --fail-on pending), so an unchanged nightly run ends "done".
  const isNewWork = queued.created.length > 0 || (queued.topics?.compiled.length ?? 0) > 0; // topic pages are review items too
  const outcome: RunOutcome = failures.length > 0 ? 'failed-pages' : isNewWork ? 'pending-review' : 'done';
  const code = runExitCode(outcome, published.refused !== undefined, flags.ci === true);
  const byClass = { material: 0, wording: 0, cosmetic: 0 };
  for (const i of pendingItems) byClass[i.changeClass ?? 'material']++;
  const report: RunReport = {
    id: ctx.runId ?? `run-${startedAt}-${process.pid}`,
    startedAt,
    finishedAt: ctx.clock().toISOString(),
    outcome,
    exitCode: code,
    crawl: crawled.counts,
    summaries: {
      llmCalls: queued.llmCalls + (queued.topics?.llmCalls ?? 0), // topic pages share the budget
      cached: queued.cached,
      created: queued.created.length,
      deferred: queued.deferred,
      flagged: queued.summaries.filter((s) => !s.grounding.isGrounded).length,
      costUsd: queued.costUsd + (queued.topics?.costUsd ?? 0),
      ...(queued.stoppedBy || queued.topics?.stoppedBy ? { stoppedBy: queued.stoppedBy ?? queued.topics?.stoppedBy } : {}),
    },
    bundle: published,
    pending: { total: pending, created: queued.created.length, ...byClass },
    failures: failures.map((f) => ({ url: f.url, sourceId: f.sourceId, stage: f.stage, code: f.code })),
  };
  store.putRun({
    id: report.id,
    command: 'run',
    startedAt,
    finishedAt: report.finishedAt,
    counts: { ...crawled.counts, llmCalls: queued.llmCalls, created: queued.created.length, pending, published: report.bundle.pages },
    failures: failures.length,
    outcome,
    exitCode: code,
    bundle: report.bundle.id,
  });
  await store.flush();
  ctx.info(`${pending} item${pending === 1 ? '' : 's'} waiting for review: eti review list`);
  ctx.jsonLine({ type: 'run-result', ...report });
  if (flags.ci && ctx.env.githubStepSummary) await appendFile(ctx.env.githubStepSummary, runReportMarkdown(report));
  return code;
}

export type RunOutcome = 'done' | 'pending-review' | 'failed-pages';

/** A refused publish (nothing written) outweighs failed pages, which outweigh new items for review. */
function runExitCode(outcome: RunOutcome, isRefused: boolean, isCi: boolean): number {
  if (isRefused) return ExitCode.checkFailed;
  if (outcome === 'failed-pages') return ExitCode.partial;
  return outcome === 'pending-review' && isCi ? ExitCode.pendingReview : ExitCode.ok;
}

/**
 * The run's publish: the new bundle, or, when the publish guard refuses it, the bundle left in
 * place (id and pages of LATEST, if any) and why, said in one line on stderr (CI logs show it).
 */
async function publishStep(ctx: Context, flags: RunFlags): Promise<RunReport['bundle']> {
  try {
    const r = await runPublish(ctx, flags);
    return { id: r.bundle.id, pages: r.bundle.pages.length, isNew: r.isNew };
  } catch (err) {
    if (!(err instanceof PublishRefusedError)) throw err;
    const r = err.refusal;
    if (r.kind === 'nothing-approved' && r.previousPages === 0) {
      // A new workspace: nothing approved and nothing published yet. No bundle is written and
      // nothing is lost, so this is the normal state before the first approval, not a failure.
      ctx.info('Nothing approved yet: no bundle written (eti review list, then eti review approve ID).');
      ctx.jsonLine({ type: 'publish-skipped', reason: r.kind });
      return { pages: 0, isNew: false, skipped: 'nothing-approved' };
    }
    ctx.io.stderr(`eti: ${err.message}\n`);
    ctx.jsonLine({ type: 'publish-refused', code: err.code, message: err.message, hint: err.hint, ...r });
    return { ...(r.previousId ? { id: r.previousId } : {}), pages: r.previousPages, isNew: false, refused: r.kind };
  }
}

/** What a run did, for the JSON log, the store and the CI job summary. */
export interface RunReport {
  id: string;
  startedAt: string;
  finishedAt: string;
  outcome: RunOutcome;
  exitCode: number;
  crawl: Record<string, number>;
  summaries: { llmCalls: number; cached: number; created: number; deferred: number; flagged: number; costUsd: number; stoppedBy?: string };
  /**
   * The new bundle; when the publish was refused, the bundle left in place (`id` absent when there
   * is none) and why; `skipped` when nothing is approved and nothing was ever published (a new
   * workspace: no bundle written, not a failure).
   */
  bundle: { id?: string; pages: number; isNew: boolean; refused?: PublishRefusal['kind']; skipped?: 'nothing-approved' };
  pending: { total: number; created: number; material: number; wording: number; cosmetic: number };
  failures: { url: string; sourceId: string; stage: string; code: string }[];
}

const OUTCOME_TEXT: Record<RunOutcome, string> = {
  done: '✅ Done: no new items for review.',
  'pending-review': '📝 Done: this run created items for review (`eti review list`).',
  'failed-pages': '⚠️ Done, but some pages or sources failed.',
};

/** The run report as Markdown (for GITHUB_STEP_SUMMARY). Page data is escaped. */
export function runReportMarkdown(r: RunReport): string {
  const esc = (s: string): string => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
  const c = r.crawl;
  const lines = [
    `## eti run ${esc(r.id)}`,
    '',
    `${OUTCOME_TEXT[r.outcome]} Exit code ${r.exitCode}.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Crawled | ${c.new ?? 0} new, ${c.changed ?? 0} changed, ${c.noise ?? 0} noise only, ${(c.unchanged ?? 0) + (c['not-modified'] ?? 0) + (c['date-only'] ?? 0)} unchanged, ${c.removed ?? 0} removed, ${c.failed ?? 0} failed |`,
    `| Summaries | ${r.summaries.llmCalls} LLM calls, ${r.summaries.cached} from cache, ${r.summaries.flagged} flagged, ${r.summaries.deferred} left for the next run${r.summaries.stoppedBy ? ` (${esc(r.summaries.stoppedBy)})` : ''}, est. $${r.summaries.costUsd.toFixed(4)} |`,
    `| Review | ${r.pending.created} new items; ${r.pending.total} waiting (${r.pending.material} material, ${r.pending.wording} wording, ${r.pending.cosmetic} cosmetic) |`,
    `| Bundle | ${bundleCell(r.bundle)} |`,
    '',
  ];
  if (r.failures.length > 0) {
    lines.push(`### Failures (${r.failures.length})`, '', '| source | stage | code | url |', '| --- | --- | --- | --- |');
    for (const f of r.failures.slice(0, 50)) lines.push(`| ${esc(f.sourceId)} | ${f.stage} | ${esc(f.code)} | ${esc(f.url)} |`);
    if (r.failures.length > 50) lines.push(`| … | | | ${r.failures.length - 50} more in the JSON log |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const REFUSED_TEXT: Record<PublishRefusal['kind'], string> = {
  'nothing-approved': 'not published: nothing approved yet',
  shrink: 'not published: it would drop over half of the published pages (--allow-shrink)',
};

function bundleCell(b: RunReport['bundle']): string {
  const kept = b.id ? `\`${b.id}\`, ${b.pages} pages` : 'none';
  if (b.refused) return `⛔ ${REFUSED_TEXT[b.refused]}; left in place: ${kept}`;
  if (b.skipped) return 'none yet: nothing approved (`eti review list`)';
  return `${kept}${b.isNew ? ' (new)' : ' (unchanged)'}`;
}
