/**
 * `npm run bench:kills`: SIGKILL `eti crawl` (the built CLI, a child process) again and again
 * while it crawls a loopback site that changes under it, then check the store (issue 15).
 *
 * Each round changes some pages, starts `eti crawl` and kills it: on odd rounds right after its
 * k-th shard write (a flush boundary: the index file renamed into place, seen with fs.watch), on
 * even rounds at a random time. After every kill every index file must parse (0 torn files) and
 * the store must open. At the end the site stops changing, `eti crawl --no-resume` runs to
 * completion, and every page's stored text must be the site's (0 lost updates, 0 differing).
 *
 * Usage: node dist/bench/kills.js [--kills 50] [--pages 120] [--seed 15]
 * test/e2e/crash.test.ts runs the same loop with fewer kills.
 */
import { execFile, spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkStore, rng, startMutatingSite, type StoreCheck } from './mutating-site.js';

// dist/bench/kills.js when built, bench/kills.ts when a test imports it.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, HERE.split(path.sep).includes('dist') ? '../..' : '..');
const CLI = path.join(ROOT, 'dist/src/cli.js');

export interface KillOptions {
  kills: number;
  pages: number;
  seed: number;
  /** Each page answer waits this long, so a crawl lasts long enough to be killed. Default 15 ms. */
  delayMs?: number;
  /** Leave the workspace for inspection (its path is in the report). */
  keepWorkspace?: boolean;
  /** Called after each kill (progress). */
  onKill?: (round: number, how: string) => void;
}

export interface KillReport extends StoreCheck {
  kills: number;
  /** Kills that hit right after a flush (a shard renamed into place). */
  atFlush: number;
  /** Index files that did not parse after a kill, summed over the kills. */
  tornFiles: number;
  /** Exit code and first stderr line of the final complete crawl. */
  finalExit: number;
  finalStderr: string;
  /** The final crawl's summary line. */
  finalSummary: string;
  workspace: string;
}

async function workspace(origin: string): Promise<string> {
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-kills-'));
  await writeFile(
    path.join(ws, 'sources.yaml'),
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: http, concurrency_per_host: 4, use_sitemap: false, respect_robots: false }
sources:
  - { id: endres, name: Endres, owner: Test, start_urls: ['${origin}/'], include: ['^${origin.replace(/\./g, '\\.')}/side/'], max_depth: 1 }
`,
  );
  return ws;
}

/** Index files that do not parse as JSON (a torn write). */
async function tornFiles(ws: string): Promise<number> {
  const dir = path.join(ws, '.eti', 'index');
  let torn = 0;
  for (const f of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))) {
    try {
      JSON.parse(await readFile(path.join(dir, f), 'utf8'));
    } catch {
      torn++;
    }
  }
  return torn;
}

/** Start `eti crawl` and SIGKILL it after its `afterWrites`-th shard write, or after `afterMs`, whichever `how` says. */
async function crawlAndKill(ws: string, how: { afterWrites: number } | { afterMs: number }): Promise<void> {
  const indexDir = path.join(ws, '.eti', 'index');
  await mkdir(indexDir, { recursive: true });
  const child = spawn(process.execPath, [CLI, 'crawl', '-w', ws, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let writes = 0;
  const kill = (): void => void child.kill('SIGKILL');
  const watcher = watch(indexDir, (_event, name) => {
    if (name === 'endres.json' && 'afterWrites' in how && ++writes >= how.afterWrites) kill();
  });
  const timer = 'afterMs' in how ? setTimeout(kill, how.afterMs) : undefined;
  await exited;
  clearTimeout(timer);
  watcher.close();
}

/** Run `eti` to completion. */
function eti(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: '' } }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: number }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

/** The kill loop; resolves with what the store looked like. */
export async function killLoop(opts: KillOptions): Promise<KillReport> {
  const site = await startMutatingSite({ pages: opts.pages, seed: opts.seed, mutateChance: 0.05, delayMs: opts.delayMs ?? 15 });
  const ws = await workspace(site.origin);
  const random = rng(opts.seed + 1);
  const report: KillReport = {
    kills: 0,
    atFlush: 0,
    tornFiles: 0,
    finalExit: -1,
    finalStderr: '',
    finalSummary: '',
    workspace: ws,
    missing: [],
    differing: [],
    missingBlobs: [],
  };
  try {
    for (let round = 0; round < opts.kills; round++) {
      site.mutate(Math.ceil(opts.pages / 10));
      const how = round % 2 === 0 ? { afterWrites: 1 + ((round / 2) % 3) } : { afterMs: Math.round(150 + random() * 2500) };
      await crawlAndKill(ws, how);
      report.kills++;
      if ('afterWrites' in how) report.atFlush++;
      report.tornFiles += await tornFiles(ws);
      opts.onKill?.(round, JSON.stringify(how));
    }
    site.freeze();
    const final = await eti(['crawl', '-w', ws, '--no-resume']);
    report.finalSummary = final.stdout.split('\n').find((l) => l.startsWith('Crawled')) ?? '';
    report.finalExit = final.code;
    report.finalStderr = final.stderr.split('\n')[0] ?? '';
    Object.assign(report, await checkStore(path.join(ws, '.eti'), 'endres', site));
    return report;
  } finally {
    await site.close();
    if (!opts.keepWorkspace) await rm(ws, { recursive: true, force: true });
  }
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  const r = await killLoop({
    kills: arg('kills', 50),
    pages: arg('pages', 120),
    seed: arg('seed', 15),
    onKill: (i, how) => process.stderr.write(`kill ${i + 1} ${how}\n`),
  });
  console.log(
    JSON.stringify(
      {
        finalCrawl: r.finalSummary,
        kills: r.kills,
        atFlush: r.atFlush,
        tornFiles: r.tornFiles,
        finalExit: r.finalExit,
        missing: r.missing.length,
        lostUpdates: r.differing.length,
        missingBlobs: r.missingBlobs.length,
        seconds: Math.round((Date.now() - t0) / 1000),
      },
      null,
      2,
    ),
  );
  if (r.tornFiles + r.missing.length + r.differing.length + r.missingBlobs.length > 0 || r.finalExit !== 0) process.exitCode = 1;
}
