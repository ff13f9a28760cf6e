/**
 * `npm run bench:store`: the store at scale, on a synthetic shard (pages with two versions, a
 * summary and a review item each; Norwegian text with a "–", so one JSON string would be two
 * bytes a character):
 *   - writing the shard as one `JSON.stringify` string vs `JsonFile`'s pieces: time and the peak
 *     RSS above the process's size before the write, each in a fresh child process;
 *   - what the review page pays per request: a fresh `Store.open` + `reviews()` vs the
 *     `Store.indexStamp` check that lets it keep a loaded store.
 *
 * Usage: node dist/bench/store.js [--pages 50000]
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonFile } from '../src/store/json-file.js';
import { Store } from '../src/store/store.js';

function shard(pages: number): Record<string, unknown> {
  const data = {
    schemaVersion: 2,
    sourceId: 'kommune',
    pages: {} as Record<string, unknown>,
    summaries: {} as Record<string, unknown>,
    reviews: {} as Record<string, unknown>,
  };
  for (let i = 0; i < pages; i++) {
    const url = `https://kommune.example/p/${i}/`;
    data.pages[url] = {
      url,
      sourceId: 'kommune',
      finalUrl: url,
      redirects: [],
      depth: 1,
      firstSeenAt: '2026-01-01T00:00:00.000Z',
      consecutiveFailures: 0,
      versions: [0, 1].map((k) => ({
        contentHash: `${String(i).padStart(8, '0')}${k}`.padEnd(64, 'a'),
        markdownHash: 'b'.repeat(64),
        rawHash: 'c'.repeat(64),
        title: `Side ${i}: omsorgsstønad og avlastning`,
        lang: 'nb',
        dates: { modified: '2026-01-01' },
        dateStamps: ['Sist oppdatert 1. januar 2026'],
        method: 'readability',
        via: 'http',
        firstSeenAt: '2026-01-01T00:00:00.000Z',
        lastSeenAt: '2026-01-01T00:00:00.000Z',
      })),
    };
    data.summaries[`s${i}`] = {
      id: `s${i}`,
      url,
      content: {
        summary: 'Omsorgsstønad – kommunen kan gi stønad til den som har særlig tyngende omsorgsarbeid. '.repeat(4),
        keyFacts: [{ fact: 'Satsen er 8 232 kroner.', quote: 'Satsen er 8 232 kroner.' }],
      },
      grounding: { isGrounded: true, checked: 1, issues: [] },
    };
    data.reviews[`r${i}`] = {
      id: `r${i}`,
      sourceId: 'kommune',
      url,
      kind: 'new',
      contentHash: `${String(i).padStart(8, '0')}1`.padEnd(64, 'a'),
      status: 'pending',
      createdAt: '2026-01-01T00:00:00.000Z',
      summaryId: `s${i}`,
    };
  }
  return data;
}

/** In a child: build the shard, then write it one way; report ms and the RSS peak the write added. */
async function writeChild(way: 'string' | 'pieces', pages: number, file: string): Promise<void> {
  const data = shard(pages);
  const before = process.resourceUsage().maxRSS / 1024;
  const t = performance.now();
  if (way === 'pieces') await new JsonFile(file).write(data);
  else await writeFile(file, JSON.stringify(data));
  const ms = performance.now() - t;
  process.stdout.write(
    `${JSON.stringify({ ms, addedMb: process.resourceUsage().maxRSS / 1024 - before, fileMb: (await stat(file)).size / 1e6 })}\n`,
  );
}

function runChild(args: string[]): Promise<{ ms: number; addedMb: number; fileMb: number }> {
  const c = fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    c.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as { ms: number; addedMb: number; fileMb: number })
        : reject(new Error(`child exited ${String(code)}`)),
    ),
  );
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv[2] === '--write') {
  await writeChild(process.argv[3] as 'string' | 'pieces', Number(process.argv[4]), process.argv[5]!);
} else {
  const pages = arg('--pages', 50_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-bench-store-'));
  try {
    console.log(`eti store benchmark: one shard of ${pages} pages (2 versions, a summary and an item each)`);
    const file = path.join(dir, 'shard.json');
    const str = await runChild(['--write', 'string', String(pages), file]);
    const pcs = await runChild(['--write', 'pieces', String(pages), file]);
    console.log(
      `  write, ${str.fileMb.toFixed(0)} MB of JSON: one string ${str.ms.toFixed(0)} ms, +${str.addedMb.toFixed(0)} MB peak RSS; JsonFile pieces ${pcs.ms.toFixed(0)} ms, +${pcs.addedMb.toFixed(0)} MB`,
    );

    const storeDir = path.join(dir, '.eti');
    await mkdir(path.join(storeDir, 'index'), { recursive: true });
    await new JsonFile(path.join(storeDir, 'index', 'kommune.json')).write(shard(pages));
    let t = performance.now();
    const items = await (await Store.open(storeDir)).reviews();
    const loadMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 50; i++) await Store.indexStamp(storeDir);
    const stampMs = (performance.now() - t) / 50;
    console.log(
      `  review page, per request: fresh Store.open + reviews() ${loadMs.toFixed(0)} ms (${items.length} items); Store.indexStamp ${stampMs.toFixed(2)} ms`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
