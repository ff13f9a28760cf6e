/**
 * `npm run bench:hostile`: the nightly run over hostile pages (issue 15 target: it finishes within
 * its normal time plus the extraction deadline, with the 20,000-element and 5,000-link pages
 * recorded). For each mode (http, browser): a full `eti run --ci` (crawl, summarise with the
 * offline provider, publish) of the built CLI, as a child process, over the loopback site of
 * bench/hostile-site.ts, first without the hostile pages (the baseline, same ordinary pages, same
 * run), then with them; it prints both times, their difference against the extraction deadline,
 * and what the store holds for each hostile page.
 *
 * Usage: node dist/bench/hostile-nightly.js [--pages 40] [--modes http,browser]   (ETI_CHROMIUM for the browser)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EXTRACT_DEADLINE_MS } from '../src/pipeline/extract/pool.js';
import { storeDirOf } from '../src/store/store.js';
import { checkHostileStore, type HostileOutcome, prepareHostileWorkspace, startHostileSite } from './hostile-site.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli.js');

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

interface Timed {
  seconds: number;
  exit: number;
  error?: string;
  crawl: Record<string, number>;
  summariesCreated: number;
  failures: Record<string, number>;
  outcomes?: HostileOutcome[];
  otherHostHits: number;
}

/** One `eti run --ci` over a fresh site and workspace. */
async function timedRun(render: 'http' | 'browser', pages: number, hostile: boolean): Promise<Timed> {
  const site = await startHostileSite({ pages, hostile });
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-hostile-'));
  try {
    await prepareHostileWorkspace(ws, site.origin, render, ROOT);
    const t0 = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [CLI, 'run', '--ci', '-w', ws],
        { env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: '' }, maxBuffer: 256 * 1024 * 1024 },
        (err, out, errOut) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out, stderr: errOut }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const result = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as {
            type?: string;
            crawl?: Record<string, number>;
            summaries?: { created: number };
            failures?: { code: string }[];
          },
      )
      .find((j) => j.type === 'run-result');
    const failures: Record<string, number> = {};
    for (const f of result?.failures ?? []) failures[f.code] = (failures[f.code] ?? 0) + 1;
    return {
      seconds: Math.round(seconds * 10) / 10,
      exit: code,
      ...(code === 0 || code === 3 || code === 4 ? {} : { error: stderr.trim().split('\n')[0] }),
      crawl: Object.fromEntries(Object.entries(result?.crawl ?? {}).filter(([, v]) => v > 0)),
      summariesCreated: result?.summaries?.created ?? 0,
      failures,
      ...(hostile ? { outcomes: await checkHostileStore(storeDirOf(ws), site.origin, render) } : {}),
      otherHostHits: site.otherHits(),
    };
  } finally {
    await site.close();
    await rm(ws, { recursive: true, force: true });
  }
}

const pages = Number(arg('pages', '40'));
const modes = arg('modes', 'http,browser').split(',') as ('http' | 'browser')[];
const deadlineS = DEFAULT_EXTRACT_DEADLINE_MS / 1000;
const report: Record<string, unknown> = { ordinaryPages: pages, hostilePages: 9, extractionDeadlineS: deadlineS };
for (const mode of modes) {
  const baseline = await timedRun(mode, pages, false);
  const withHostile = await timedRun(mode, pages, true);
  const extraS = Math.round((withHostile.seconds - baseline.seconds) * 10) / 10;
  report[mode] = {
    baseline,
    hostile: withHostile,
    ratio: Math.round((withHostile.seconds / baseline.seconds) * 100) / 100,
    extraSeconds: extraS,
    withinNormalPlusDeadline: withHostile.seconds <= baseline.seconds + deadlineS,
    allHostilePagesRecorded: withHostile.outcomes?.every((o) => o.ok) ?? false,
  };
}
console.log(JSON.stringify(report, null, 2));
