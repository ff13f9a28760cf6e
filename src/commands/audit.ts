import { Command } from 'commander';
import { audit, type Audit } from '../pipeline/audit.js';
import type { ShardData } from '../store/records.js';
import type { Context } from './context.js';
import { collect, examples, selectSources } from './shared.js';

interface AuditFlags {
  source?: string[];
  pages?: boolean;
}

const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** Freshness and review state per source (and page with --pages). */
export async function runAudit(ctx: Context, flags: AuditFlags): Promise<Audit> {
  const sources = await selectSources(ctx, flags.source);
  const store = await ctx.store();
  const shards = new Map<string, ShardData>();
  for (const s of sources) shards.set(s.id, await store.shard(s.id));
  const result = audit(sources, shards, ctx.clock());
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'audit', ...result, pages: flags.pages ? result.pages : undefined });
    return result;
  }
  ctx.info(
    table([
      ['SOURCE', 'PAGES', 'OK', 'FAILING', 'REMOVED', 'PENDING', 'PUBLISHED', 'OUTDATED', 'LAST FETCHED', 'LAST CHANGED', 'STALE'],
      ...result.sources.map((r) => [
        r.sourceId,
        String(r.pages),
        String(r.ok),
        String(r.failing),
        String(r.removed),
        String(r.pending),
        String(r.published),
        String(r.publishedOutdated),
        day(r.lastFetchedAt),
        day(r.lastChangedAt),
        r.isStale ? 'STALE' : '',
      ]),
    ]),
  );
  if (flags.pages) {
    ctx.info('');
    ctx.info(
      table([
        ['URL', 'HEALTH', 'STATUS', 'FETCHED', 'CHANGED', 'PAGE DATE', 'REVIEW'],
        ...result.pages.map((p) => [p.url, p.health, String(p.lastStatus ?? '-'), day(p.lastFetchedAt), day(p.lastChangedAt), p.pageModified ?? '-', p.review + (p.isPublishedOutdated ? ' (published text outdated)' : '')]),
      ]),
    );
  }
  return result;
}

export function auditCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('audit')
    .description('Freshness audit: per source, when it was fetched and changed, what is failing, removed or waiting for review.')
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--pages', 'also list every page')
    .addHelpText('after', examples(['eti audit', 'eti audit --pages --source nav-satser', 'eti audit --json | jq .sources']))
    .action(async (flags: AuditFlags) => {
      await runAudit(ctx(), flags);
      done(0);
    });
}
