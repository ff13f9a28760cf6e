import path from 'node:path';
import { Command } from 'commander';
import { checkBundle } from '../pipeline/publish/index.js';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';
import { type PublishFlags, printDeliveries, runPublish } from '../steps/publish.js';

export function publishCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('publish')
    .description(
      'Write approved summaries as a bundle: bundle.json, pages/*.md, index.md, index.json, changes.json, feeds/, manifest.json.',
    )
    .option('-o, --out <dir>', 'output folder (default: <workspace>/output)')
    .option('--check <dir>', 'verify a bundle folder against its manifest and schema instead of publishing')
    .option('--site', 'also render the preview site into <out>/site (see eti site)')
    .option('--deliveries', 'list the recorded webhook deliveries instead of publishing')
    .option('--allow-empty', 'publish a bundle with no pages and no topic pages on purpose (refused otherwise, exit 1)')
    .option('--allow-shrink', 'publish a bundle that drops over half of the published pages on purpose (refused otherwise, exit 1)')
    .addHelpText(
      'after',
      examples([
        'eti publish',
        'eti publish --out /srv/site/data',
        'eti publish --site',
        'eti publish --deliveries',
        'eti publish --check output/20261124-3f2a9c1b7d4e',
      ]) +
        '\nOnly approved items are published. The same store always gives a byte-identical bundle.\n' +
        'Nothing approved, or a bundle that would drop over half of the published pages without approved removals:\n' +
        'nothing is written, LATEST stays, exit 1 (--allow-empty, --allow-shrink to publish it on purpose).\n' +
        'Webhooks (publish.webhooks in sources.yaml) are told about a new bundle; a failed delivery is recorded, never a failed publish.\n',
    )
    .action(async (flags: PublishFlags & { deliveries?: boolean }) => {
      const c = ctx();
      if (flags.check) {
        const r = await checkBundle(path.resolve(c.io.cwd, flags.check));
        c.info(`OK: bundle ${r.id}, ${r.files} files match manifest.json`);
        c.jsonLine({ type: 'check-result', ok: true, ...r });
        done(0);
        return;
      }
      if (flags.deliveries) {
        await printDeliveries(c);
        done(0);
        return;
      }
      const release = await c.lock('publish');
      try {
        await runPublish(c, flags);
        done(0);
      } finally {
        await release();
      }
    });
}
