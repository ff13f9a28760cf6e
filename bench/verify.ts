/**
 * `npm run bench:verify`: the claims verifier on the labelled set (test/fixtures/claims/): recall
 * per fabrication category, false-positive rate on faithful claims and overall recall, for the
 * dev split (rules were tuned on it), the heldout split and both; and ms per claim (median and
 * p95 over every claim and repetition) against a baseline timed in the same run — the figures-only
 * check the verifier replaced (every figure of the claim somewhere in the spans) — with its
 * quality on the same set for comparison.
 *
 * Usage: node dist/bench/verify.js [--reps N] [--json] [--show dev|heldout|all]
 *   --show prints the ids and findings of misses and false alarms of that split.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { figureSet, findFigures } from '../src/llm/norwegian.js';
import type { ClaimFinding } from '../src/pipeline/types.js';
import { verifyClaim, VERIFIER_VERSION, type ClaimCheck } from '../src/pipeline/verify/index.js';
import { loadLabelledSet, optionsOf, score, type LabelledClaim, type Score } from './verify-set.js';

/** The check before this verifier: each figure of the claim must occur somewhere in the spans. */
function figuresOnly(claim: string, spans: readonly string[]): ClaimCheck {
  const source = figureSet(spans.join('\n'));
  const findings: ClaimFinding[] = [];
  for (const f of findFigures(claim)) {
    if (!f.norms.some((n) => source.has(`${f.kind}:${n}`) || source.has(`number:${n}`)))
      findings.push({ code: 'number-missing', reason: f.raw });
  }
  return { verdict: findings.length === 0 ? 'supported' : 'unsupported', findings };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function timePerClaim(
  claims: readonly LabelledClaim[],
  reps: number,
  check: (c: LabelledClaim) => unknown,
): { median: number; p95: number } {
  const ms: number[] = [];
  for (const c of claims) check(c); // warm-up
  for (let r = 0; r < reps; r++) {
    for (const c of claims) {
      const t = performance.now();
      check(c);
      ms.push(performance.now() - t);
    }
  }
  ms.sort((a, b) => a - b);
  return { median: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

const pct = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

function printScore(name: string, s: Score): void {
  console.log(`\n${name}: ${s.size} claims (${s.faithful} faithful, ${s.fabricated} fabricated)`);
  console.log(`  recall overall          ${pct(s.caught, s.fabricated)}  (${s.caught}/${s.fabricated})`);
  console.log(`  false positives         ${pct(s.falsePositives, s.faithful)}  (${s.falsePositives}/${s.faithful})`);
  for (const [cat, v] of Object.entries(s.perCategory).sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${cat.padEnd(22)}  ${pct(v.caught, v.total)}  (${v.caught}/${v.total})`);
  }
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const all = loadLabelledSet(root);
  const reps = Number(arg('--reps') ?? 5);
  const verifier = (c: LabelledClaim) => verifyClaim(c.claim, c.spans, optionsOf(c));
  const baseline = (c: LabelledClaim) => figuresOnly(c.claim, c.spans);
  const splits: [string, LabelledClaim[]][] = [
    ['dev', all.filter((c) => c.split === 'dev')],
    ['heldout', all.filter((c) => c.split === 'heldout')],
    ['all', all],
  ];
  const results = Object.fromEntries(splits.map(([n, cs]) => [n, { verifier: score(cs, verifier), baseline: score(cs, baseline) }]));
  const timing = { verifier: timePerClaim(all, reps, verifier), baseline: timePerClaim(all, reps, baseline) };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ verifierVersion: VERIFIER_VERSION, reps, results, timing }, null, 2));
    return;
  }
  console.log(`verifier ${VERIFIER_VERSION} on the labelled set (${all.length} claims), ${reps} timed repetitions`);
  for (const [n] of splits) printScore(`${n} — verifier`, results[n]!.verifier);
  const b = results.all!.baseline;
  console.log(
    `\nbaseline (figures only) on all: recall ${pct(b.caught, b.fabricated)}, false positives ${pct(b.falsePositives, b.faithful)}`,
  );
  console.log(`\nms per claim   median   p95`);
  console.log(`  verifier     ${timing.verifier.median.toFixed(3).padStart(6)}  ${timing.verifier.p95.toFixed(3).padStart(6)}`);
  console.log(`  baseline     ${timing.baseline.median.toFixed(3).padStart(6)}  ${timing.baseline.p95.toFixed(3).padStart(6)}`);
  console.log(
    `  ratio        ${(timing.verifier.median / timing.baseline.median).toFixed(1).padStart(6)}× ${(timing.verifier.p95 / timing.baseline.p95).toFixed(1).padStart(6)}×`,
  );
  const show = arg('--show');
  if (show) {
    const cs = show === 'all' ? all : all.filter((c) => c.split === show);
    for (const c of cs) {
      const r = verifier(c);
      const flagged = r.verdict === 'unsupported';
      if (flagged === (c.label === 'fabricated')) continue;
      console.log(`\n${flagged ? 'FALSE ALARM' : 'MISS'} ${c.id} [${c.category}] ${c.claim}`);
      for (const f of r.findings) console.log(`    ${f.code}: ${f.reason}`);
      if (!flagged) console.log(`    spans: ${c.spans.join(' ‖ ').slice(0, 300)}`);
    }
  }
}

main();
