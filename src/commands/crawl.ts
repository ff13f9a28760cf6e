import { Command } from 'commander';
import type { Context } from '../steps/context.js';
import { collect, examples } from '../steps/shared.js';
import { type CrawlFlags, runCrawl } from '../steps/crawl.js';

export function crawlCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('crawl')
    .description('Fetch the sources in sources.yaml, extract their text, and store what changed.')
    .option('-s, --source <id>', 'crawl only this source (repeatable)', collect)
    .option('--no-resume', 'after an interrupted crawl, fetch again what it had already stored')
    .addHelpText(
      'after',
      examples(['eti crawl', 'eti crawl --source nav-satser --verbose', 'eti crawl --json > crawl.jsonl']) +
        '\nOnly new and changed content is extracted and stored; unchanged pages cost one conditional request.\n' +
        'A crawl that was killed is resumed by the next one: pages it stored are not fetched again.\n',
    )
    .action(async (flags: CrawlFlags) => {
      const c = ctx();
      const release = await c.lock('crawl');
      try {
        const r = await runCrawl(c, flags);
        done(r.counts.failed > 0 ? 3 : 0);
      } finally {
        await release();
      }
    });
}
