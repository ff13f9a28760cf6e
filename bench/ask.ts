/**
 * `npm run bench:ask`: `eti ask` on the kept question set (test/fixtures/questions/, written by
 * hand from the demo pages) over the demo's published bundle — offline, and through the Anthropic
 * provider against a loopback Messages API whose scripted answers carry fabrications. Prints, per
 * provider: answerable questions answered with every required fact, unanswerable questions
 * refused, sentences shown and unsupported ones among them (re-checked from the bundle), scripted
 * fabrications sent and shown, LLM calls and cost per question. Beside them, the baseline measured
 * in the same run: the best search hit alone, with no refusal and no verification.
 *
 * Usage: node dist/bench/ask.js [--bundle DIR] [--show] [--json]
 *   --bundle  a published bundle folder (default: run `eti demo` into a temp workspace first, ~1 min)
 *   --show    print every question that missed, with its answer
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassageIndex, passagesOf, readBundle } from '../src/pipeline/ask/index.js';
import type { Bundle } from '../src/pipeline/publish/bundle.js';
import {
  type EvalQuestion,
  type EvalSummary,
  evaluate,
  HELDOUT_FILE,
  QUESTIONS_FILE,
  ROOT,
  readQuestions,
  startScriptedApi,
} from './ask-set.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The demo's published bundle, made in a temp workspace. */
async function demoBundle(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-bench-ask-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'demo', '--workspace', path.join(ws, 'demo')], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`eti demo exited ${r.status}: ${r.stderr}`);
  const id = (await readFile(path.join(ws, 'demo', 'output', 'LATEST'), 'utf8')).trim();
  return { dir: path.join(ws, 'demo', 'output', id), cleanup: () => rm(ws, { recursive: true, force: true }) };
}

/** The baseline: the best search hit's sentence as the answer, never refusing unless nothing matches. */
function baseline(bundle: Bundle, questions: readonly EvalQuestion[]): { withFacts: number; refused: number; ms: number } {
  const index = new PassageIndex(passagesOf(bundle).passages);
  const start = performance.now();
  let withFacts = 0;
  let refused = 0;
  for (const q of questions) {
    const top = index.retrieve(q.question).hits[0];
    const text = (top?.passage.text ?? '').replace(/\s+/g, ' ').toLowerCase();
    if (q.kind === 'unanswerable') refused += top ? 0 : 1;
    else if (top && q.facts.every((f) => (Array.isArray(f) ? f : [f]).some((x) => text.includes(x.toLowerCase())))) withFacts++;
  }
  return { withFacts, refused, ms: performance.now() - start };
}

const pct = (a: number, b: number): string => `${a}/${b} (${b === 0 ? 0 : ((100 * a) / b).toFixed(1)} %)`;

function print(s: EvalSummary, ms: number, n: number): void {
  console.log(`\n${s.provider}`);
  console.log(`  answerable answered with all required facts  ${pct(s.answeredWithAllFacts, s.answerable)}`);
  console.log(`  unanswerable refused                         ${pct(s.refused, s.unanswerable)}`);
  console.log(`  sentences shown / unsupported among them     ${s.sentencesShown} / ${s.unsupportedShown}`);
  if (s.fabricationsSent > 0) console.log(`  scripted fabrications sent / shown           ${s.fabricationsSent} / ${s.fabricationsShown}`);
  console.log(`  LLM calls per question                       ${(s.llmCalls / n).toFixed(2)} (${s.llmCalls} in all)`);
  console.log(
    `  cost per question                            ${(s.costUsd / n).toFixed(6)} USD (list price; ${s.costUsd.toFixed(4)} in all)`,
  );
  console.log(`  ms per question                              ${(ms / n).toFixed(2)}`);
}

async function main(): Promise<void> {
  const given = arg('--bundle');
  const made = given ? undefined : await demoBundle();
  try {
    const bundle = await readBundle(given ? path.resolve(given) : made!.dir);
    const questions = readQuestions(QUESTIONS_FILE);
    const passages = passagesOf(bundle).passages.length;
    const kinds = (k: string) => questions.filter((q) => q.kind === k).length;
    console.log(
      `eti ask on ${questions.length} questions (${kinds('single')} one source, ${kinds('combined')} two sources, ${kinds('unanswerable')} not answerable) over bundle ${bundle.id}: ${bundle.pages.length} pages, ${passages} approved passages`,
    );
    const base = baseline(bundle, questions);
    let t = performance.now();
    const offline = await evaluate(bundle, questions);
    const offlineMs = performance.now() - t;
    const api = await startScriptedApi();
    t = performance.now();
    const anthropic = await evaluate(bundle, questions, api).finally(() => api.close());
    const apiMs = performance.now() - t;
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify({ baseline: base, offline: { ...offline, ms: offlineMs }, anthropic: { ...anthropic, ms: apiMs } }));
      return;
    }
    const answerable = questions.length - kinds('unanswerable');
    console.log('\nbaseline (best search hit alone, no refusal, no verification)');
    console.log(`  answerable answered with all required facts  ${pct(base.withFacts, answerable)}`);
    console.log(`  unanswerable refused                         ${pct(base.refused, kinds('unanswerable'))}`);
    console.log(`  ms per question                              ${(base.ms / questions.length).toFixed(2)}`);
    print(offline, offlineMs, questions.length);
    print(anthropic, apiMs, questions.length);
    console.log(
      `\nratios against the baseline: offline time ×${(offlineMs / base.ms).toFixed(1)}, loopback time ×${(apiMs / base.ms).toFixed(1)}`,
    );
    const ok =
      offline.refused / offline.unanswerable >= 0.95 &&
      anthropic.refused / anthropic.unanswerable >= 0.95 &&
      offline.unsupportedShown + anthropic.unsupportedShown + anthropic.fabricationsShown === 0 &&
      offline.answeredWithAllFacts / offline.answerable >= 0.7;
    console.log(`targets (refuse ≥95 %, 0 unsupported shown, offline ≥70 % with all facts): ${ok ? 'met' : 'NOT met'}`);
    const heldout = readQuestions(HELDOUT_FILE);
    const held = await evaluate(bundle, heldout);
    console.log(
      `\nheld-out set (${heldout.length} questions written after tuning, never tuned on), offline: answerable with all facts ${pct(held.answeredWithAllFacts, held.answerable)}, unanswerable refused ${pct(held.refused, held.unanswerable)}, unsupported shown ${held.unsupportedShown}`,
    );
    if (process.argv.includes('--show')) {
      for (const s of [offline, anthropic, held]) {
        console.log(`\nmisses, ${s.provider}:`);
        for (const o of s.outcomes) {
          const isMiss = o.kind === 'unanswerable' ? !o.isRefused : o.isRefused || o.missing.length > 0;
          if (isMiss || o.unsupported.length > 0 || o.fabricationsShown.length > 0)
            console.log(`  ${o.id} ${o.missing.length ? `missing ${o.missing.join(', ')}` : ''} → ${o.answer}`);
        }
      }
    }
  } finally {
    await made?.cleanup();
  }
}

await main();
