import { Command } from 'commander';
import { publishedItems } from '../pipeline/review/index.js';
import { collectGarbage } from '../store/gc.js';
import type { Context } from '../steps/context.js';
import { examples, intFlag } from '../steps/shared.js';

interface GcFlags {
  keep: number;
  dryRun?: boolean;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function gcCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('gc')
    .description('Prune old page versions, their summaries and unreferenced blobs; never what a pending or published item refers to.')
    .option('--keep <n>', 'versions kept per page (newest first; at least 1)', intFlag('--keep', 1), 5)
    .option('--dry-run', 'say what would be removed, remove nothing')
    .addHelpText('after', examples(['eti gc --dry-run', 'eti gc --keep 3', 'eti gc --keep 3 --json']))
    .action(async (flags: GcFlags) => {
      const c = ctx();
      const release = await c.lock('gc');
      try {
        const store = await c.store();
        const r = await collectGarbage(store, { keep: flags.keep, publishedItems, ...(flags.dryRun ? { dryRun: true } : {}) });
        const verb = flags.dryRun ? 'Would remove' : 'Removed';
        c.info(
          `${verb} ${r.versionsPruned} old version${r.versionsPruned === 1 ? '' : 's'}, ${r.summariesPruned} summar${r.summariesPruned === 1 ? 'y' : 'ies'} ` +
            `and ${r.blobsDeleted} blob${r.blobsDeleted === 1 ? '' : 's'} (${mb(r.bytesFreed)}); kept ${r.versionsKept} versions and ${r.blobsKept} blobs.`,
        );
        c.jsonLine({ type: 'gc-result', isDryRun: flags.dryRun === true, keep: flags.keep, ...r });
        done(0);
      } finally {
        await release();
      }
    });
}
