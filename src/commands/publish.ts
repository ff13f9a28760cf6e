import path from 'node:path';
import { Command } from 'commander';
import { CheckFailedError } from '../errors.js';
import { checkBundle, collectBundlePages, writeBundle, type PublishResult } from '../pipeline/publish.js';
import type { Context } from './context.js';
import { examples } from './shared.js';

export interface PublishFlags {
  out?: string;
  check?: string;
}

/**
 * Publish every approved page into a bundle under output/ (or --out). With `isEmptyRefused`
 * (`eti publish`), no approved page is a refusal (exit 1) that writes nothing and leaves LATEST.
 */
export async function runPublish(ctx: Context, flags: PublishFlags, opts: { isEmptyRefused?: boolean } = {}): Promise<PublishResult> {
  const { sources, config } = await ctx.config();
  const store = await ctx.store();
  const pages = await collectBundlePages(store, sources);
  if (pages.length === 0 && opts.isEmptyRefused) {
    throw new CheckFailedError('nothing-approved', `nothing to publish: no approved pages in ${ctx.workspace}; no bundle written, output/LATEST left as it was`, 'Approve items first: "eti review list", then "eti review approve ID".');
  }
  const outDir = path.resolve(ctx.io.cwd, flags.out ?? path.join(ctx.workspace, 'output'));
  const result = await writeBundle(pages, outDir, config.publish.keep);
  const rel = path.relative(ctx.io.cwd, result.dir);
  const shown = rel && !rel.startsWith('..') ? rel : result.dir;
  ctx.info(
    result.isNew
      ? `Published ${pages.length} approved page${pages.length === 1 ? '' : 's'} to ${shown}`
      : `Nothing new: bundle ${result.bundle.id} (${pages.length} pages) is already published in ${shown}`,
  );
  for (const id of result.pruned) ctx.debug(`pruned old bundle ${id}`);
  ctx.jsonLine({ type: 'publish-result', id: result.bundle.id, dir: result.dir, pages: pages.length, isNew: result.isNew, pruned: result.pruned });
  return result;
}

export function publishCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('publish')
    .description('Write approved summaries as a bundle: bundle.json, pages/*.md, index.md, manifest.json.')
    .option('-o, --out <dir>', 'output folder (default: <workspace>/output)')
    .option('--check <dir>', 'verify a bundle folder against its manifest and schema instead of publishing')
    .addHelpText(
      'after',
      examples(['eti publish', 'eti publish --out /srv/site/data', 'eti publish --check output/20261124-3f2a9c1b7d4e']) +
        '\nOnly approved items are published. The same store always gives a byte-identical bundle.\n',
    )
    .action(async (flags: PublishFlags) => {
      const c = ctx();
      if (flags.check) {
        const r = await checkBundle(path.resolve(c.io.cwd, flags.check));
        c.info(`OK: bundle ${r.id}, ${r.files} files match manifest.json`);
        c.jsonLine({ type: 'check-result', ok: true, ...r });
        done(0);
        return;
      }
      const release = await c.lock('publish');
      try {
        await runPublish(c, flags, { isEmptyRefused: true });
        done(0);
      } finally {
        await release();
      }
    });
}
