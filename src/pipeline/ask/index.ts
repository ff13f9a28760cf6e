/**
 * `eti ask`'s stage: a question answered from the approved content of a published bundle only.
 * Retrieval (`retrieve.ts`) finds approved passages; the offline answer selects their sentences
 * (`extractive.ts`), a model writes sentences citing them (`llm/answer.ts`); either way every
 * sentence is checked by the claims verifier against the spans it cites (`cite.ts`) and dropped
 * unless supported. No supported sentence, or too little of the question covered: the refusal,
 * with the nearest pages. Instructions inside the question are set aside, never followed.
 */
import { UsageError } from '../../errors.js';
import type { AnswerPassage, AnswerProvider } from '../../llm/answer.js';
import { addUsage } from '../../llm/cost.js';
import { splitSentences } from '../../llm/norwegian.js';
import { type PromptSet, render } from '../../llm/prompts.js';
import type { TokenUsage } from '../types.js';
import { findInstruction } from '../verify/index.js';
import { type CheckedSentence, checkAnswer, type DroppedSentence, type Proposal } from './cite.js';
import { extractiveAnswer } from './extractive.js';
import type { PageRef, Passage } from './passages.js';
import type { PassageIndex, Retrieval } from './retrieve.js';

/** What the user reads when the approved content does not answer the question. */
export const REFUSAL = 'Dette finner jeg ikke i det godkjente innholdet.';
/** Longest question accepted, in characters. */
export const MAX_QUESTION_CHARS = 2000;
/** Share of the question's term weight the answer must cover (rare terms weigh most); below it, the refusal. */
export const MIN_COVERAGE = 0.6;
/** Passages a model is shown. */
export const PASSAGES_SHOWN = 8;
/** Nearest pages listed with a refusal. */
const NEAREST = 3;

/** Why a question was refused. */
export type RefusalReason = 'instruction-only' | 'no-match' | 'not-covered' | 'model-refused' | 'no-supported-sentence';

export interface AskResult {
  question: string;
  isRefused: boolean;
  refusalReason?: RefusalReason;
  /** The text shown: the supported sentences, or `REFUSAL`. */
  answer: string;
  sentences: CheckedSentence[];
  /** Sentences proposed and dropped (never shown), with the verifier's findings. */
  dropped: DroppedSentence[];
  /** Sentences of the question that speak to a model; set aside, not answered and not obeyed. */
  ignoredInstructions: string[];
  /** Pages of the best hits (all of them with a refusal, so the user knows where to look). */
  nearestPages: PageRef[];
  /** Share of the question's term weight the answer (or, before a model is asked, the passages) covers, 0–1. */
  coverage: number;
  provider: string;
  model: string;
  llmCalls: number;
  usage: TokenUsage;
}

export interface AskOptions {
  /** Undefined: the offline extractive answer. */
  provider?: AnswerProvider;
  /** Templates `ask.system` and `ask.user` (needed with a provider). */
  prompts?: PromptSet;
}

/** A question as asked, trimmed; empty or over `MAX_QUESTION_CHARS` is a usage error (exit 2). */
export function checkQuestion(raw: string): string {
  const q = raw.replace(/\r\n?/g, '\n').trim();
  if (q === '')
    throw new UsageError('ask: the question is empty', 'Ask in Norwegian, for example: eti ask "Hvor mye er grunnstønad sats 1?"');
  if (q.length > MAX_QUESTION_CHARS) {
    throw new UsageError(
      `ask: the question is ${q.length} characters long; at most ${MAX_QUESTION_CHARS} are accepted`,
      'Ask one thing at a time.',
    );
  }
  return q;
}

/** The question without its sentences that speak to a model, and those sentences. */
export function setAsideInstructions(question: string): { question: string; ignored: string[] } {
  const kept: string[] = [];
  const ignored: string[] = [];
  // The sentence is its own source: a family asking about a personal number («Må jeg oppgi
  // fødselsnummeret?») is asking, not requesting a secret.
  for (const s of splitSentences(question)) (findInstruction(s, s) === null ? kept : ignored).push(s);
  return { question: kept.join(' '), ignored };
}

function coverageOf(r: Retrieval, covered: ReadonlySet<string>): number {
  let all = 0;
  let got = 0;
  for (const [t, w] of r.weights) {
    all += w;
    if (covered.has(t)) got += w;
  }
  return all === 0 ? 0 : got / all;
}

function nearestPages(r: Retrieval, index: PassageIndex, question: string): PageRef[] {
  const out: PageRef[] = [];
  if (r.hits.length === 0) {
    for (const slug of index.nearestSlugs(question, NEAREST)) {
      const p = index.passages.find((x) => x.slug === slug)!;
      out.push({ slug, url: p.url, title: p.title, owner: p.owner });
    }
  }
  for (const h of r.hits) {
    if (out.some((p) => p.slug === h.passage.slug)) continue;
    out.push({ slug: h.passage.slug, url: h.passage.url, title: h.passage.title, owner: h.passage.owner });
    if (out.length === NEAREST) break;
  }
  return out;
}

function passageBlock(p: AnswerPassage): string {
  return [`[${p.id}] Side: ${p.page}`, `Setning: ${p.text}`, 'Kildesitater:', ...p.quotes.map((q) => `- «${q}»`)].join('\n');
}

/** Ask the model about the best passages; its sentences are checked by the caller. */
async function modelProposals(
  question: string,
  shown: readonly Passage[],
  provider: AnswerProvider,
  prompts: PromptSet | undefined,
): Promise<{ proposals: Proposal[]; byId: Map<string, Passage>; isRefused: boolean; usage: TokenUsage }> {
  if (!prompts) throw new Error('ask: a provider needs the ask prompts');
  const byId = new Map<string, Passage>();
  const passages: AnswerPassage[] = shown.map((p, i) => {
    byId.set(`p${i + 1}`, p);
    return { id: `p${i + 1}`, page: p.title, text: p.text, quotes: p.spans.map((s) => s.quote) };
  });
  const system = render(prompts, 'ask.system', {});
  // The question is data inside delimiters: it may not close them.
  const asData = question.replace(/<<<|>>>/g, '');
  const prompt = render(prompts, 'ask.user', { question: asData, passages: passages.map(passageBlock).join('\n\n') });
  const res = await provider.answer({ question, system, prompt, passages });
  const proposals = res.sentences.map((s) => ({ text: s.text, citations: s.citations }));
  return { proposals, byId, isRefused: res.isRefused, usage: res.usage };
}

/**
 * Answer `rawQuestion` from the index's approved passages. Throws `UsageError` for an empty or
 * oversize question; everything else (no match, an injection, a model's fabrication) is an answer
 * or a refusal. Deterministic offline; one model call at most with a provider, none when retrieval
 * already shows the content does not cover the question.
 */
export async function ask(rawQuestion: string, index: PassageIndex, opts: AskOptions = {}): Promise<AskResult> {
  const question = checkQuestion(rawQuestion);
  const { question: asked, ignored } = setAsideInstructions(question);
  const r = index.retrieve(asked);
  const base = {
    question,
    ignoredInstructions: ignored,
    nearestPages: nearestPages(r, index, asked),
    provider: opts.provider?.name ?? 'offline',
    model: opts.provider?.model ?? 'extractive-v1',
  };
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let llmCalls = 0;
  const refuse = (reason: RefusalReason, coverage: number, dropped: DroppedSentence[] = []): AskResult => ({
    ...base,
    isRefused: true,
    refusalReason: reason,
    answer: REFUSAL,
    sentences: [],
    dropped,
    coverage,
    llmCalls,
    usage,
  });
  if (asked.trim() === '') return refuse('instruction-only', 0);
  if (r.hits.length === 0) return refuse('no-match', 0);
  // The offline answer's choice decides whether the content covers the question, for a model too:
  // it is shown those passages first (then the best hits), and not asked at all when they fall short.
  const x = extractiveAnswer(r, asked);
  const coverage = coverageOf(r, x.covered);
  if (coverage < MIN_COVERAGE) return refuse('not-covered', coverage);
  let proposals: Proposal[] = x.proposals;
  let byId = new Map(r.hits.map((h) => [h.passage.id, h.passage]));
  if (opts.provider) {
    const chosen = new Set(x.proposals.flatMap((p) => p.citations.map((c) => c.passage)));
    const shown = [...r.hits.filter((h) => chosen.has(h.passage.id)), ...r.hits.filter((h) => !chosen.has(h.passage.id))]
      .slice(0, PASSAGES_SHOWN)
      .map((h) => h.passage);
    const m = await modelProposals(asked, shown, opts.provider, opts.prompts);
    llmCalls = 1;
    usage = addUsage(usage, m.usage);
    if (m.isRefused && m.proposals.length === 0) return refuse('model-refused', coverage);
    ({ proposals, byId } = m);
  }
  const { shown, dropped } = checkAnswer(proposals, byId);
  if (shown.length === 0) return refuse('no-supported-sentence', coverage, dropped);
  return { ...base, isRefused: false, answer: shown.map((s) => s.text).join(' '), sentences: shown, dropped, coverage, llmCalls, usage };
}

export { PassageIndex } from './retrieve.js';
export { type Passage, type PageRef, passagesOf, readBundle } from './passages.js';
