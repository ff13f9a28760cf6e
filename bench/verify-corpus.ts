/**
 * `npm run bench:verify-corpus`: the claims verifier's false alarms on text nobody here wrote. Every
 * sentence (5+ words) of the 2026 extraction corpus's human-checked article bodies is checked
 * against its own paragraph: a sentence is supported by the text it was taken from, so every flag
 * is a false alarm. The labelled set (`bench:verify`) is ours; this is the check on others' text.
 * The corpus is mostly English and the verifier is built for Norwegian: the rate is an upper bound.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyClaim } from '../src/pipeline/verify/index.js';
import { CORPUS_DIR } from './extract-corpus.js';

const truthFile = path.join(CORPUS_DIR, 'ground-truth.json');
if (!existsSync(truthFile)) {
  console.log(`verify-corpus: skipped, ${truthFile} not found (it is in ../shared/corpora beside the repository in CI)`);
} else {
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, { articleBody?: string }>;
  let sentences = 0;
  let flagged = 0;
  const codes = new Map<string, number>();
  const t0 = performance.now();
  for (const page of Object.values(truth)) {
    for (const para of (page.articleBody ?? '').split(/\n+/).map((p) => p.trim())) {
      if (para.length < 40 || para.length > 2000) continue;
      for (const s of para.split(/(?<=[.!?])\s+/).map((x) => x.trim())) {
        if (s.split(/\s+/).length < 5) continue;
        sentences++;
        const r = verifyClaim(s, [para]);
        if (r.verdict === 'supported') continue;
        flagged++;
        for (const code of new Set(r.findings.map((f) => f.code))) codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
  }
  const ms = performance.now() - t0;
  console.log(`verify-corpus: ${Object.keys(truth).length} pages, ${sentences} sentences checked against their own paragraph`);
  console.log(`  flagged (false alarms): ${flagged} = ${((flagged / sentences) * 100).toFixed(2)} %`);
  for (const [code, n] of [...codes].sort((a, b) => b[1] - a[1])) console.log(`    ${code.padEnd(16)} ${n}`);
  console.log(`  ${(ms / sentences).toFixed(3)} ms per claim`);
}
