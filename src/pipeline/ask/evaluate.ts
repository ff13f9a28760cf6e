/**
 * Scoring answers against the kept question set (`test/fixtures/questions/`): whether an answer
 * contains every required fact, and whether each sentence shown rests on the bundle's approved
 * spans and passes the verifier on its own, checked again here from the bundle, not trusted from
 * the answer. Used by `bench:ask` and its test. Pure.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Bundle } from '../bundle.js';
import { verifyClaim } from '../verify/index.js';
import type { AskResult } from './index.js';

const questionSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['single', 'combined', 'unanswerable']),
  question: z.string(),
  facts: z.array(z.union([z.string(), z.array(z.string()).min(1)])),
  sources: z.array(z.string()),
  note: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof questionSchema>;

/** Read a JSONL question file; a bad line is an Error naming file and line. */
export function readQuestions(file: string): EvalQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter((x) => x.line.trim() !== '')
    .map(({ line, n }) => {
      const parsed = questionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${n}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      return parsed.data;
    });
}

const fold = (s: string): string =>
  s
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();

/** The required facts an answer lacks (a fact given as a list is met by any of its forms). */
export function missingFacts(q: EvalQuestion, answer: AskResult): string[] {
  const text = fold(answer.sentences.map((s) => s.text).join(' '));
  return q.facts
    .map((f) => (Array.isArray(f) ? f : [f]))
    .filter((forms) => !forms.some((f) => text.includes(fold(f))))
    .map((forms) => forms[0]!);
}

/**
 * Sentences shown that are not supported: a citation outside every approved span of its page
 * (by content hash and offsets, quote compared), or a sentence the verifier does not support
 * against its citations' quotes.
 */
export function unsupportedShown(bundle: Bundle, answer: AskResult): string[] {
  const bad: string[] = [];
  for (const s of answer.sentences) {
    const isInSpans = s.citations.every((c) => {
      const page = bundle.pages.find((p) => p.slug === c.slug);
      return (page?.claims ?? []).some(
        (claim) =>
          claim.verdict === 'supported' &&
          claim.spans.some(
            (span) =>
              span.contentHash === c.contentHash &&
              span.start <= c.start &&
              c.end <= span.end &&
              span.quote.slice(c.start - span.start, c.end - span.start) === c.quote,
          ),
      );
    });
    const verdict = verifyClaim(
      s.text,
      s.citations.map((c) => c.quote),
    ).verdict;
    if (!isInSpans || s.citations.length === 0 || verdict !== 'supported') bad.push(s.text);
  }
  return bad;
}
