/**
 * `npm run bench:extract`: extraction quality, speed and memory.
 *
 * 1. The golden fixtures (test/fixtures/extract/<slug>/: source.html and the hand-checked
 *    expected.md): per extractor, mean shingle precision and recall, F1 of the means, the share of
 *    the truth's numbers that survive, and the median ms per page (after one warm-up pass, 5 timed
 *    repetitions per page); then the ratios of eti (linkedom, the production path) to plain
 *    Readability on jsdom. Metrics: bench/extract-metrics.ts.
 * 2. The public 2026 corpus beside the repository (bench/extract-corpus.ts): the benchmark's
 *    precision/recall/F1 overall and per page type, ms/page and peak RSS, per extractor.
 * Extractors (bench/extract-runners.ts): eti on linkedom and on jsdom, Readability on jsdom and on
 * linkedom.
 *
 * Usage: node dist/bench/extract.js [--pages] (per-page table) [--fixtures <dir>] [--limit N]
 * (first N corpus pages) [--no-corpus]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusReport, printTable } from './extract-corpus.js';
import { corpusScore, missingNumbers, scorePage, type PageScore } from './extract-metrics.js';
import { EXTRACTORS, type BenchExtractor as Extractor, type BenchPage as Fixture } from './extract-runners.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPS = 5;

function loadFixtures(dir: string): Fixture[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((slug) => ({
      slug,
      url: `https://example.no/${slug}/`,
      html: readFileSync(path.join(dir, slug, 'source.html'), 'utf8'),
      truth: readFileSync(path.join(dir, slug, 'expected.md'), 'utf8'),
    }));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Result {
  name: string;
  score: PageScore;
  numbers: number;
  msPerPage: number;
  pages: { slug: string; score: PageScore; missing: string[] }[];
}

function measure(ex: Extractor, fixtures: Fixture[]): Result {
  for (const f of fixtures) ex.run(f); // warm-up: JIT, jsdom's lazily built interfaces
  const pages: Result['pages'] = [];
  let found = 0;
  let total = 0;
  const times: number[] = [];
  for (const f of fixtures) {
    const out = ex.run(f);
    const score = scorePage(out.scored, f.truth);
    const nums = missingNumbers(out.numbers, f.truth);
    found += nums.total - nums.missing.length;
    total += nums.total;
    pages.push({ slug: f.slug, score, missing: nums.missing });
    const perPage: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      ex.run(f);
      perPage.push(performance.now() - t0);
    }
    times.push(median(perPage));
  }
  return {
    name: ex.name,
    score: corpusScore(pages.map((p) => p.score)),
    numbers: total === 0 ? 1 : found / total,
    msPerPage: median(times),
    pages,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

function main(argv: string[]): void {
  const at = argv.indexOf('--fixtures');
  const dir = at >= 0 && argv[at + 1] ? path.resolve(argv[at + 1]!) : path.resolve(here, '../../test/fixtures/extract');
  const fixtures = loadFixtures(dir);
  const results = EXTRACTORS.map((ex) => measure(ex, fixtures));
  console.log(`extraction bench: ${fixtures.length} fixtures (${dir})`);
  console.log(
    `scores: 4-word shingles vs expected.md; numbers: digit groups of expected.md found in the output; ${REPS} timed runs per page after a warm-up\n`,
  );
  const rows = [['extractor', 'precision', 'recall', 'F1', 'numbers', 'median ms/page']];
  for (const r of results)
    rows.push([r.name, pct(r.score.precision), pct(r.score.recall), pct(r.score.f1), pct(r.numbers), r.msPerPage.toFixed(2)]);
  const [eti, base] = results as [Result, Result];
  const etiJsdom = results[2]!;
  rows.push([
    'ratio eti/Readability',
    (eti.score.precision / base.score.precision).toFixed(3),
    (eti.score.recall / base.score.recall).toFixed(3),
    (eti.score.f1 / base.score.f1).toFixed(3),
    (eti.numbers / base.numbers).toFixed(3),
    (eti.msPerPage / base.msPerPage).toFixed(2),
  ]);
  rows.push(['ratio eti linkedom/jsdom', '', '', '', '', (eti.msPerPage / etiJsdom.msPerPage).toFixed(2)]);
  printTable(rows);
  if (argv.includes('--pages')) {
    console.log('\nper page (F1 eti / Readability; numbers eti is missing):');
    for (let i = 0; i < fixtures.length; i++) {
      const a = eti.pages[i]!;
      const b = base.pages[i]!;
      const miss = a.missing.length ? `  missing: ${a.missing.join(', ')}` : '';
      console.log(`  ${a.slug.padEnd(34)} ${pct(a.score.f1).padStart(7)} ${pct(b.score.f1).padStart(7)}${miss}`);
    }
  }
  const li = argv.indexOf('--limit');
  if (!argv.includes('--no-corpus')) corpusReport(li >= 0 ? Number(argv[li + 1]) : Infinity);
}

main(process.argv.slice(2));
