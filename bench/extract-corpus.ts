/**
 * The public 2026 extraction corpus in `npm run bench:extract` (issue 14): text nobody here wrote.
 * `../shared/corpora/extraction-2026/` beside the repository (html/<id>.html.gz, ground-truth.json
 * with articleBody and page_type; see its README), scored with the benchmark's own metric
 * (`benchmarkScore` in extract-metrics.ts, checked against ../shared/corpora/score.mjs).
 *
 * Each extractor runs in a child process of its own (this file with `--corpus-child <name>`), so
 * its peak RSS is its own: the parent reads `process.resourceUsage().maxRSS` from the child's
 * answer. Pages run one at a time; ms/page is the time of the extraction call alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { benchmarkCorpus, benchmarkScore, type BenchmarkPage } from './extract-metrics.js';
import { EXTRACTORS } from './extract-runners.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from dist/bench/ (built) or bench/ (sources). */
const ROOT = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..');
/** Where CI and every worktree's checkout keep the shared corpora: beside the repository. */
export const CORPUS_DIR = path.resolve(ROOT, '../shared/corpora/extraction-2026');

interface Truth {
  articleBody: string;
  url: string;
  page_type: string;
}

interface ChildAnswer {
  name: string;
  pages: (BenchmarkPage & { id: string; ms: number })[];
  maxRssMb: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The child: one extractor over the corpus; prints its answer as one JSON line. */
export function corpusChild(name: string, dir: string, limit: number): void {
  const ex = EXTRACTORS.find((e) => e.name === name);
  if (!ex) throw new Error(`--corpus-child: no extractor named "${name}"`);
  const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<string, Truth>;
  const ids = Object.keys(truth).sort().slice(0, limit);
  const pages: ChildAnswer['pages'] = [];
  for (const id of ids) {
    const html = gunzipSync(readFileSync(path.join(dir, 'html', `${id}.html.gz`))).toString('utf8');
    const t0 = performance.now();
    let text = '';
    try {
      text = ex.run({ slug: id, url: truth[id]!.url, html, truth: '' }).plain;
    } catch {
      text = ''; // a throw is an empty output, as the scorer counts it
    }
    const ms = performance.now() - t0;
    pages.push({ id, ms, ...benchmarkScore(text, truth[id]!.articleBody) });
  }
  process.stdout.write(`${JSON.stringify({ name, pages, maxRssMb: process.resourceUsage().maxRSS / 1024 } satisfies ChildAnswer)}\n`);
}

const f3 = (x: number): string => x.toFixed(3);

/** The parent: every extractor in its own child, then one table overall and one per page type. */
export function corpusReport(limit: number): void {
  if (!existsSync(path.join(CORPUS_DIR, 'ground-truth.json'))) {
    console.log(`\n2026 corpus: skipped, ${CORPUS_DIR} not found (it is in ../shared/corpora beside the repository in CI)`);
    return;
  }
  const truth = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'ground-truth.json'), 'utf8')) as Record<string, Truth>;
  const answers: ChildAnswer[] = [];
  for (const ex of EXTRACTORS) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--corpus-child', ex.name, '--limit', String(limit)], {
      maxBuffer: 256 << 20,
      encoding: 'utf8',
    });
    answers.push(JSON.parse(out.trim().split('\n').pop()!) as ChildAnswer);
  }
  const n = answers[0]?.pages.length ?? 0;
  console.log(
    `\n2026 corpus: ${n} pages (${CORPUS_DIR}); the benchmark's metric (4-word shingles of \\w+ tokens, means over pages); one process per extractor`,
  );
  const rows = [['extractor', 'precision', 'recall', 'F1', 'empty', 'median ms', 'mean ms', 'peak RSS MB']];
  for (const a of answers) {
    const c = benchmarkCorpus(a.pages);
    const ms = a.pages.map((p) => p.ms);
    rows.push([
      a.name,
      f3(c.precision),
      f3(c.recall),
      f3(c.f1),
      String(a.pages.filter((p) => p.empty).length),
      median(ms).toFixed(1),
      (ms.reduce((x, y) => x + y, 0) / Math.max(1, ms.length)).toFixed(1),
      a.maxRssMb.toFixed(0),
    ]);
  }
  printTable(rows);
  // Two halves of the sorted ids: rules are looked for on the even half and checked on the odd one,
  // which nobody tunes on (a stand-in for the benchmark's own held-out part, not on this machine).
  console.log('\nhalves (F1, precision/recall): tune = even positions of the sorted ids, check = odd, not looked at when tuning');
  const halfRows = [['half', 'pages', ...answers.map((a) => a.name)]];
  for (const [k, label] of [
    [0, 'tune'],
    [1, 'check'],
  ] as const) {
    const cells = answers.map((a) => {
      const c = benchmarkCorpus(a.pages.filter((_, i) => i % 2 === k));
      return `${f3(c.f1)} (${f3(c.precision)}/${f3(c.recall)})`;
    });
    halfRows.push([label, String(answers[0]!.pages.filter((_, i) => i % 2 === k).length), ...cells]);
  }
  printTable(halfRows);
  const types = [...new Set(answers[0]?.pages.map((p) => truth[p.id]!.page_type) ?? [])].sort();
  console.log('\nper page type (F1, precision/recall):');
  const typeRows = [['page type', 'pages', ...answers.map((a) => a.name)]];
  for (const t of types) {
    const cells = answers.map((a) => {
      const c = benchmarkCorpus(a.pages.filter((p) => truth[p.id]!.page_type === t));
      return `${f3(c.f1)} (${f3(c.precision)}/${f3(c.recall)})`;
    });
    typeRows.push([t, String(answers[0]!.pages.filter((p) => truth[p.id]!.page_type === t).length), ...cells]);
  }
  printTable(typeRows);
}

/** Rows as aligned columns: the first left-aligned, the rest right-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

const at = process.argv.indexOf('--corpus-child');
if (at >= 0) {
  const li = process.argv.indexOf('--limit');
  corpusChild(process.argv[at + 1]!, CORPUS_DIR, li >= 0 ? Number(process.argv[li + 1]) : Infinity);
}
