import { Command } from 'commander';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';
import { type SiteFlags, runSite } from '../steps/site.js';

export function siteCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('site')
    .description('Render a published bundle as a static preview site for families and editors (Norwegian, accessible, searchable).')
    .option('--bundle <id|dir>', 'bundle id under <workspace>/output, or a bundle folder (default: the latest)')
    .option('-o, --out <dir>', 'where the site goes (default: <workspace>/output/site); replaced as a whole')
    .addHelpText(
      'after',
      examples(['eti site', 'eti site --bundle 20261124-3f2a9c1b7d4e --out /srv/forhandsvisning']) +
        '\nThe site is plain files: open index.html, or serve the folder (search needs it served over http).\n',
    )
    .action(async (flags: SiteFlags) => {
      await runSite(ctx(), flags);
      done(0);
    });
}
