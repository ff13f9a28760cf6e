import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { packageRoot, startDemoServer, type DemoVersion } from '../demo/server.js';
import type { CrawlResult } from '../pipeline/crawl/index.js';
import { decide } from '../pipeline/review/index.js';
import { Context } from '../steps/context.js';
import { runCrawl } from '../steps/crawl.js';
import { runDiff } from '../steps/diff.js';
import { runPublish } from '../steps/publish.js';
import { printQueue } from '../steps/review-list.js';
import { examples } from '../steps/shared.js';
import { runSummarize } from '../steps/summarize.js';
import { approveDemoTopics } from '../steps/topics.js';

const MARKER = '.eti-demo-workspace';
const DEMO_REVIEWER = 'demo-redaktør';

interface DemoFlags {
  serve?: string;
  port?: number;
  provider?: string;
}

/**
 * Prepare a demo workspace: sources.yaml pointing at the loopback site, and the prompts.
 * A folder that has files but is not a demo workspace is refused, so nothing of the user's
 * is ever deleted.
 */
export async function prepareDemoWorkspace(dir: string, origin: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new UsageError(
      `${dir}: not empty and not a demo workspace; the demo will not touch it`,
      'Pass --workspace with a new or empty folder.',
    );
  }
  for (const e of entries) if (e !== MARKER) await rm(path.join(dir, e), { recursive: true, force: true });
  await writeFile(path.join(dir, MARKER), 'This folder was made by "eti demo" and is reset by it.\n');
  const root = packageRoot();
  const originRe = origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const template = await readFile(path.join(root, 'demo', 'sources.yaml'), 'utf8');
  // The template's own header talks about the repository (../schema, ../sources.yaml): replaced
  // by one that is true inside the workspace.
  const header = [
    `# yaml-language-server: $schema=${path.join(root, 'schema', 'sources.schema.json')}`,
    '# Made by "eti demo" for its loopback demo site; reset on every demo run.',
    '# For a workspace of your own with the real sources: eti init DIR (see its README.md).',
  ].join('\n');
  const body = template
    .replace(/^(#.*\n)+/, '')
    .replaceAll('{{origin_re}}', originRe) // single-quoted YAML: backslashes stay as they are
    .replaceAll('{{origin}}', origin);
  await writeFile(path.join(dir, 'sources.yaml'), `${header}\n${body}`);
  await cp(path.join(root, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), '*\n');
}

/** The embedded demo: v1 crawled, summarised, approved and published; then v2 crawled and queued. */
async function runDemo(outer: Context, flags: DemoFlags): Promise<number> {
  const dir = path.resolve(outer.io.cwd, outer.opts.workspace ?? 'eti-demo');
  const server = await startDemoServer({ version: 'v1', preferredPort: flags.port ?? 8737 });
  try {
    await prepareDemoWorkspace(dir, server.origin);
    const ctx = new Context(outer.io, { ...outer.opts, workspace: dir });
    const say = (line: string): void => ctx.info(line);
    const release = await ctx.lock('demo');
    try {
      const provider = flags.provider ?? 'offline';
      say(`eti demo: the demo site (v1) is served at ${server.origin}; workspace ${dir}\n`);
      say('== 1. Crawl v1 ==');
      const first = await runCrawl(ctx, {});
      say(`\n== 2. Summarise (provider: ${provider}) ==`);
      await runSummarize(ctx, { provider });
      await approveDemoItems(ctx);
      say('\n== 3b. Topics: compiled from the approved pages of several sources ==');
      await approveDemoTopics(ctx, await ctx.llm({ provider }), DEMO_REVIEWER);
      say('\n== 4. Publish ==');
      const published = await runPublish(ctx, {});

      server.setVersion('v2');
      say(`\n== 5. The site changed (v2). Crawl again ==`);
      const second = await runCrawl(ctx, {});
      say('\n== 6. Summarise what changed ==');
      await runSummarize(ctx, { provider });
      say('\n== 7. What changed (diffs waiting for review) ==');
      await runDiff(ctx, undefined, {});
      say('== 8. Waiting for an editor ==');
      await printQueue(ctx, {});
      printDemoEnd(ctx, dir, published.bundle.id, [...first.failures, ...second.failures]);
      return 0;
    } finally {
      await release();
    }
  } finally {
    await server.close();
  }
}

/** Step 3 of the demo: every grounded v1 item approved as the demo reviewer, the others left pending. */
async function approveDemoItems(ctx: Context): Promise<void> {
  const say = (line: string): void => ctx.info(line);
  const store = await ctx.store();
  const pending = (await store.reviews()).filter((i) => i.status === 'pending');
  say(`\n== 3. Approve ==`);
  say(`NOTICE: the demo approves all ${pending.length} v1 items itself, as "${DEMO_REVIEWER}".`);
  say('        In real use an editor reads each one: eti review show ID, then eti review approve ID.');
  const at = ctx.clock().toISOString();
  for (const item of pending) {
    const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
    if (!summary?.grounding.isGrounded) {
      ctx.warn(`left pending (summary not grounded or missing): ${item.url}`);
      continue;
    }
    store.putReview(decide(item, { status: 'approved', by: DEMO_REVIEWER, at, note: 'approved automatically by eti demo' }, summary));
    await store.appendLog([
      {
        at,
        by: DEMO_REVIEWER,
        action: 'approved',
        itemId: item.id,
        url: item.url,
        contentHash: item.contentHash,
        summaryId: summary.id,
        provider: summary.provider,
        model: summary.model,
        promptHash: summary.promptHash,
        note: 'approved automatically by eti demo',
      },
    ]);
  }
  await store.flush();
}

/** The demo's closing lines: where the bundle is, what to try next, and each crawl failure once. */
function printDemoEnd(ctx: Context, dir: string, bundleId: string, crawlFailures: CrawlResult['failures']): void {
  const say = (line: string): void => ctx.info(line);
  say(
    [
      '',
      `The bundle from v1 is in ${path.join(dir, 'output', bundleId)} (bundle.json, pages/*.md, index.md, manifest.json).`,
      'The changes from v2 wait for review; the published bundle keeps the approved v1 text until they are approved.',
      'Try:',
      `  eti review list --workspace ${dir}`,
      `  eti review show ID --workspace ${dir}`,
      `  eti review approve ID --as "Your Name" --workspace ${dir}`,
      `  eti publish --workspace ${dir}`,
      `  eti audit --pages --workspace ${dir}`,
      'Then a workspace of your own with the real sources: eti init mitt-arbeid (its README.md says what next).',
    ].join('\n'),
  );
  // A page that fails the same way in both crawls (no browser) is one problem, said once.
  const failures = new Map<string, string>();
  for (const f of crawlFailures.filter((x) => x.code !== 'http-404')) {
    failures.set(`${f.url} ${f.code}`, `${f.code}: ${f.message.startsWith(f.url) ? f.message : `${f.url}: ${f.message}`}`);
  }
  for (const line of failures.values()) ctx.warn(line);
}

async function serveOnly(ctx: Context, version: string, port: number | undefined): Promise<number> {
  if (version !== 'v1' && version !== 'v2') throw new UsageError(`--serve: expected v1 or v2, got "${version}"`);
  const server = await startDemoServer({ version: version as DemoVersion, preferredPort: port ?? 8737 });
  ctx.io.stdout(`Serving the demo site (${version}) at ${server.origin}/ (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

export function demoCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('demo')
    .description('Run the whole pipeline on the embedded demo site: no network, no API key.')
    .option('--serve <version>', 'only serve the demo site (v1 or v2) until Ctrl-C')
    .option('--port <port>', 'preferred port (default 8737; any free port if taken)', (v) => Number(v))
    .option('--provider <name>', 'offline (default) | anthropic')
    .addHelpText(
      'after',
      examples(['eti demo', 'eti demo --workspace /tmp/eti-demo', 'eti demo --serve v2 --port 8080']) +
        '\nThe workspace (default ./eti-demo) is reset on every run; a non-empty folder that is not a demo workspace is refused.\n',
    )
    .action(async (flags: DemoFlags) => {
      const c = ctx();
      done(flags.serve ? await serveOnly(c, flags.serve, flags.port) : await runDemo(c, flags));
    });
}
