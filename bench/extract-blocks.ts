/**
 * `npm run bench:extract-blocks` (issue 14): how much of eti's precision gap on the public 2026
 * set a per-block decision could close, and whether one learned on half the pages does.
 *
 * 1. eti as it is, per half (tune = even positions of the sorted ids, check = odd).
 * 2. The oracle: every leaf block of eti's finished root whose 4-word shingles are mostly absent
 *    from the truth is removed (hindsight; the ceiling of any per-block filter on eti's output).
 * 3. Where the surplus stands: tokens of such blocks before the page's first prose block, between
 *    prose blocks, after the last.
 * 4. Two models (logistic regression, boosted trees) trained on the tune half's blocks, applied to
 *    both halves at a few thresholds: the check half says whether they learned blocks or pages.
 *
 * Usage: node dist/bench/extract-blocks.js [--limit N] [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from '../src/pipeline/extract/extract.js';
import { shingles, wordTokens } from '../src/pipeline/extract/text.js';
import { blockFeatures, FEATURE_NAMES, leafBlocks } from './extract-blocks-features.js';
import { type Example, type Model, trainBoosted, trainLogistic } from './extract-blocks-models.js';
import { CORPUS_DIR, printTable } from './extract-corpus.js';
import { benchmarkCorpus, benchmarkScore, type BenchmarkPage } from './extract-metrics.js';

interface Page {
  id: string;
  url: string;
  html: string;
  truth: string;
  half: 'tune' | 'check';
}

interface Block {
  x: number[];
  /** Share of the block's 4-word shingles found in the truth (short blocks: whole run found, 0 or 1). */
  y: number;
  tokens: number;
  segment: 'lead' | 'mid' | 'tail';
}

/** Where a block's features say how much prose stands before and after it. */
const PROSE_BEFORE = FEATURE_NAMES.indexOf('proseBeforeShare');
const PROSE_AFTER = FEATURE_NAMES.indexOf('proseAfterShare');

/** How much of `text` the truth holds, as `Block.y`. */
function truthShare(text: string, truth: { shingles: ReadonlyMap<string, number>; joined: string }): number {
  const t = wordTokens(text);
  if (t.length === 0) return 0;
  if (t.length < 4) return truth.joined.includes(` ${t.join(' ')} `) ? 1 : 0;
  let hit = 0;
  let all = 0;
  for (const [k, c] of shingles(t)) {
    all += c;
    if (truth.shingles.has(k)) hit += c;
  }
  return hit / all;
}

function truthIndex(truth: string): { shingles: Map<string, number>; joined: string } {
  const t = wordTokens(truth);
  return { shingles: shingles(t), joined: ` ${t.join(' ')} ` };
}

function loadPages(limit: number): Page[] {
  const truth = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string; url: string }
  >;
  return Object.keys(truth)
    .sort()
    .slice(0, limit)
    .map((id, i) => ({
      id,
      url: truth[id]!.url,
      truth: truth[id]!.articleBody,
      html: gunzipSync(readFileSync(path.join(CORPUS_DIR, 'html', `${id}.html.gz`))).toString('utf8'),
      half: i % 2 === 0 ? 'tune' : 'check',
    }));
}

/** One pass over the pages: `drop(features, y)` says which blocks go; the blocks seen are collected. */
function pass(pages: readonly Page[], drop?: (x: number[], y: number) => boolean): { scores: BenchmarkPage[]; blocks: Block[][] } {
  const scores: BenchmarkPage[] = [];
  const blocks: Block[][] = [];
  for (const p of pages) {
    const index = truthIndex(p.truth);
    const seen: Block[] = [];
    const r = extract(p.html, { url: p.url }, (root) => {
      const leaves = leafBlocks(root);
      const feats = blockFeatures(root, leaves);
      leaves.forEach((b, i) => {
        const x = feats[i]!;
        const y = truthShare(b.text, index);
        seen.push({
          x,
          y,
          tokens: wordTokens(b.text).length,
          segment: x[PROSE_BEFORE] === 0 ? 'lead' : x[PROSE_AFTER]! <= 0 ? 'tail' : 'mid',
        });
        if (drop?.(x, y)) b.el.remove();
      });
    });
    scores.push(benchmarkScore(r.ok ? r.page.text : '', p.truth));
    blocks.push(seen);
  }
  return { scores, blocks };
}

const f3 = (x: number): string => x.toFixed(3);

function halves(pages: readonly Page[], scores: readonly BenchmarkPage[]): Record<'tune' | 'check', ReturnType<typeof benchmarkCorpus>> {
  const of = (h: Page['half']) => benchmarkCorpus(scores.filter((_, i) => pages[i]!.half === h));
  return { tune: of('tune'), check: of('check') };
}

/** Token-weighted accuracy of `model` at 0.5 on a half's blocks, and that of always saying "content". */
function accuracy(
  pages: readonly Page[],
  blocks: readonly Block[][],
  half: Page['half'],
  model: Model,
): { model: number; majority: number } {
  let right = 0;
  let content = 0;
  let total = 0;
  blocks.forEach((bs, i) => {
    if (pages[i]!.half !== half) return;
    for (const b of bs) {
      const isContent = b.y >= 0.5;
      if (model(b.x) >= 0.5 === isContent) right += b.tokens;
      if (isContent) content += b.tokens;
      total += b.tokens;
    }
  });
  return { model: right / Math.max(1, total), majority: content / Math.max(1, total) };
}

/** A one-line error and exit code 2 (bad usage or missing data), as the CLI does. */
function fail(message: string): never {
  console.error(`bench:extract-blocks: ${message}`);
  process.exit(2);
}

function main(): void {
  if (!existsSync(path.join(CORPUS_DIR, 'ground-truth.json')))
    fail(`${CORPUS_DIR}/ground-truth.json not found (the corpus is in ../shared/corpora beside the repository)`);
  const li = process.argv.indexOf('--limit');
  const limit = li >= 0 ? Number(process.argv[li + 1]) : Infinity;
  if (!(limit >= 2)) fail(`--limit ${process.argv[li + 1] ?? ''}: expected a number of pages, at least 2 (one per half)`);
  const pages = loadPages(limit);
  const json = process.argv.includes('--json');
  const base = pass(pages);
  const rows = [['run', 'tune P', 'tune R', 'tune F1', 'check P', 'check R', 'check F1']];
  const report: Record<string, unknown> = { pages: pages.length, runs: {} as Record<string, unknown> };
  const add = (name: string, scores: readonly BenchmarkPage[]): void => {
    const h = halves(pages, scores);
    (report.runs as Record<string, unknown>)[name] = h;
    rows.push([name, f3(h.tune.precision), f3(h.tune.recall), f3(h.tune.f1), f3(h.check.precision), f3(h.check.recall), f3(h.check.f1)]);
  };
  add('eti', base.scores);
  add('oracle (drop blocks the truth lacks)', pass(pages, (_, y) => y < 0.5).scores);
  const surplus = { lead: 0, mid: 0, tail: 0 };
  for (const b of base.blocks.flat()) if (b.y < 0.5) surplus[b.segment] += b.tokens;
  report.surplusTokens = surplus;
  const examples: Example[] = [];
  base.blocks.forEach((bs, i) => {
    if (pages[i]!.half !== 'tune') return;
    const total = bs.reduce((s, b) => s + b.tokens, 0) || 1;
    // Each page weighs the same, as in the metric's mean over pages.
    for (const b of bs) if (b.tokens > 0) examples.push({ x: b.x, y: b.y >= 0.5 ? 1 : 0, w: (100 * b.tokens) / total });
  });
  if (examples.length === 0) fail('the tune half has no blocks to learn from');
  const models: [string, Model][] = [
    ['logistic', trainLogistic(examples)],
    ['boosted trees', trainBoosted(examples)],
  ];
  const accRows = [['model', 'tune accuracy', 'tune majority', 'check accuracy', 'check majority']];
  for (const [name, model] of models) {
    const t = accuracy(pages, base.blocks, 'tune', model);
    const c = accuracy(pages, base.blocks, 'check', model);
    accRows.push([name, f3(t.model), f3(t.majority), f3(c.model), f3(c.majority)]);
    for (const thr of [0.2, 0.5]) add(`${name}, drop below ${thr}`, pass(pages, (x) => model(x) < thr).scores);
  }
  if (json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`2026 corpus: ${pages.length} pages (${CORPUS_DIR}); models trained on the tune half's blocks only`);
  printTable(rows);
  console.log('\nblock accuracy at 0.5, weighted by tokens (majority = always "content"):');
  printTable(accRows);
  const all = surplus.lead + surplus.mid + surplus.tail || 1;
  console.log(
    `\ntokens in blocks the truth lacks: ${surplus.lead} before the first prose block (${f3(surplus.lead / all)}), ${surplus.mid} between prose blocks (${f3(surplus.mid / all)}), ${surplus.tail} after the last (${f3(surplus.tail / all)})`,
  );
}

main();
