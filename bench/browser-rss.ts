/**
 * `npm run bench:browser-rss`: peak memory of `eti crawl` in browser mode over a 50-page
 * JavaScript site, Chromium's processes included (issue 15 target: below 800 MB).
 *
 * The built CLI runs as a child process; every 100 ms the bench walks /proc for that process and
 * all its descendants (Chromium's browser, GPU/utility and renderer processes) and sums their RSS
 * (VmRSS: shared pages counted once per process, so an upper bound) and PSS (smaps_rollup: shared
 * pages split between processes, closer to what the machine really spends). Linux only.
 *
 * Usage: node dist/bench/browser-rss.js [--pages 50]   (ETI_CHROMIUM for the browser)
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli.js');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** A page whose text only exists after its script ran, with some weight in the DOM. */
function jsPage(i: number, pages: number): string {
  const links = Array.from({ length: pages }, (_, k) => `<a href="/side/${k}/">Side ${k}</a>`).join(' ');
  return `<!doctype html><html lang="nb"><head><title>Side ${i}</title></head><body><nav>${links}</nav><main id="app"></main>
<script>
const p = [];
for (let k = 0; k < 200; k++) p.push('<p>Avsnitt ' + k + ' om pleiepenger for side ${i}: du kan ha rett til pleiepenger når barnet er sykt.</p>');
document.getElementById('app').innerHTML = '<h1>Side ${i}</h1>' + p.join('');
</script></body></html>`;
}

/** kB of a /proc status field, or of smaps_rollup's Pss; 0 when the process is gone. */
function procKb(pid: number, file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** `root` and every process descending from it. */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  return out;
}

const pages = arg('pages', 50);
const server = http.createServer((req, res) => {
  const m = /^\/side\/(\d+)\/$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
  if (!m || Number(m[1]) >= pages) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(jsPage(Number(m[1]), pages));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-rss-'));
await writeFile(
  path.join(ws, 'sources.yaml'),
  `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: browser, concurrency_per_host: 4, use_sitemap: false, respect_robots: false }
sources:
  - { id: js, name: JS, owner: Test, start_urls: ['${origin}/side/0/'], include: ['^${origin.replace(/\./g, '\\.')}/side/'], max_depth: 1 }
`,
);
const t0 = Date.now();
let peakRss = 0;
let peakPss = 0;
let peakProcs = 0;
/** Per process kind (eti, or Chromium's --type=…) at the RSS peak, MB. */
let atPeak: Record<string, number> = {};
const kindOf = (pid: number): string => {
  try {
    if (pid === child.pid) return 'eti';
    // Chromium rewrites its argv into one string: look for --type= anywhere in it.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    const sub = /--utility-sub-type=([\w.-]+)/.exec(cmd)?.[1];
    return type ? `chromium ${type}${sub ? ` ${sub}` : ''}` : 'chromium browser';
  } catch {
    return '?';
  }
};
const child = execFile(process.execPath, [CLI, 'crawl', '-w', ws], { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
let stdout = '';
child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
const sampler = setInterval(() => {
  const pids = tree(child.pid!);
  peakProcs = Math.max(peakProcs, pids.length);
  const rss = pids.map((p) => procKb(p, 'status', 'VmRSS'));
  const sum = rss.reduce((a, b) => a + b, 0);
  if (sum > peakRss) {
    peakRss = sum;
    atPeak = {};
    pids.forEach((p, k) => (atPeak[kindOf(p)] = (atPeak[kindOf(p)] ?? 0) + Math.round(rss[k]! / 1024)));
  }
  peakPss = Math.max(
    peakPss,
    pids.reduce((a, p) => a + procKb(p, 'smaps_rollup', 'Pss'), 0),
  );
}, 100);
const code = await new Promise<number | null>((r) => child.once('exit', r));
clearInterval(sampler);
server.close();
await rm(ws, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      pages,
      exit: code,
      crawl: stdout.split('\n').find((l) => l.startsWith('Crawled')) ?? '',
      peakRssMb: Math.round(peakRss / 1024),
      peakPssMb: Math.round(peakPss / 1024),
      peakProcesses: peakProcs,
      rssMbByProcessAtPeak: atPeak,
      seconds: Math.round((Date.now() - t0) / 1000),
    },
    null,
    2,
  ),
);
