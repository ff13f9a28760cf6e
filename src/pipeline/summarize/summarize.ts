import { costUsd, priceFor, type PriceTable } from '../../llm/cost.js';
import type { PromptSet } from '../../llm/prompts.js';
import { promptHash, render, templateName } from '../../llm/prompts.js';
import type { Audience, Language, LlmProvider, SummaryRequest, SummaryResponse } from '../../llm/provider.js';
import { sha256 } from '../../hash.js';
import { buildClaims, VERIFIER_VERSION, type PublishableFields } from '../verify/index.js';
import { verifyGrounding } from '../verify/index.js';
import { DEFAULT_TARGET_LIX, plainLanguageReport } from '../verify/index.js';
import type { Claim, GroundingIssue, GroundingReport, Summary } from '../types.js';

export interface SummarizeInput {
  url: string;
  title: string;
  text: string;
  markdown: string;
  contentHash: string;
  audience: Audience;
  language: Language;
  /** For a changed page: the text compared against and what changed. */
  change?: { oldText: string; added: string[]; removed: string[]; changedSentences: string[] };
  /**
   * For a changed page: the content hash of the version it is compared against (the last approved
   * one, else the previous one). Part of the cache key, since the change summary depends on it.
   */
  baseHash?: string;
  /** For a changed page: the stored Markdown of the base version, where the change summary's old quotes are resolved. */
  baseMarkdown?: string;
}

export interface SummarizeDeps {
  llm: LlmProvider;
  prompts: PromptSet;
  clock: () => Date;
  /** `summarize.prices` from sources.yaml (built-in prices fill the gaps). */
  prices?: PriceTable;
  /** LIX a plain summary stays at or under; default 40. */
  targetLix?: number;
}

/**
 * The cache key of a summary: content hash + prompt hash + provider + model, and for a changed
 * page the hash of the version it was compared against. The prompt hash is per audience and
 * written standard (`promptHash`), so it covers both. The base is part of the key because the
 * change summary describes the step from it: a page that goes A → B → A (B approved in between)
 * must not show A's first change summary ("raised from C to A") for the step from B. A page
 * that has not changed never asks for a summary at all (its review item already exists), so
 * the base costs LLM calls only for content met again after another version.
 */
export function summaryKey(parts: {
  contentHash: string;
  baseHash?: string | undefined;
  promptHash: string;
  provider: string;
  model: string;
}): string {
  const base = parts.baseHash && parts.baseHash !== parts.contentHash ? `\nbase ${parts.baseHash}` : '';
  return sha256(`${parts.contentHash}\n${parts.promptHash}\n${parts.provider}\n${parts.model}${base}`);
}

const AUDIENCE: Record<Audience, string> = {
  parents: 'foreldre',
  youth: 'ungdom mellom 13 og 20 år',
  professionals: 'fagfolk i kommuner og helsetjenester',
};
const LANGUAGE: Record<Language, string> = { nb: 'bokmål', nn: 'nynorsk' };

/**
 * Page text as data: a page cannot close the `<<<SIDE … SIDE>>>` block it is put in (and so
 * cannot place text outside it) because runs of three or more angle brackets are shortened.
 */
export function asData(text: string): string {
  return text.replace(/<{3,}/g, '<<').replace(/>{3,}/g, '>>');
}

/** A summary request ready for a provider, with the cache key it will be stored under. */
export interface PreparedSummary {
  input: SummarizeInput;
  request: SummaryRequest;
  promptHash: string;
  /** `summaryKey(...)`: the Summary's id. */
  key: string;
}

/** Render the prompts for one content version (the page text goes in as delimited data). Pure. */
export function prepareSummary(input: SummarizeInput, deps: Pick<SummarizeDeps, 'llm' | 'prompts'>): PreparedSummary {
  const vars = {
    audience: AUDIENCE[input.audience],
    language: LANGUAGE[input.language],
    title: asData(input.title),
    url: input.url,
    page: asData(input.markdown),
    added: asData(input.change?.added.join('\n') ?? ''),
    removed: asData(input.change?.removed.join('\n') ?? ''),
  };
  const pick = (name: string): string => templateName(deps.prompts, name, input.audience, input.language);
  const system = render(deps.prompts, pick('summary.system'), vars);
  const prompt = render(deps.prompts, pick(input.change ? 'change.user' : 'summary.user'), vars);
  const hash = promptHash(deps.prompts, input.audience, input.language);
  return {
    input,
    promptHash: hash,
    key: summaryKey({
      contentHash: input.contentHash,
      baseHash: input.baseHash,
      promptHash: hash,
      provider: deps.llm.name,
      model: deps.llm.model,
    }),
    request: {
      url: input.url,
      title: input.title,
      text: input.text,
      markdown: input.markdown,
      audience: input.audience,
      language: input.language,
      system,
      prompt,
      ...(input.change
        ? { change: { added: input.change.added, removed: input.change.removed, changedSentences: input.change.changedSentences } }
        : {}),
    },
  };
}

/**
 * Turn a provider's response into a stored `Summary`: the grounding check (the change summary
 * against the old and new text), the plain-language report, and the estimated cost. Pure.
 */
export function completeSummary(
  prepared: PreparedSummary,
  res: SummaryResponse,
  deps: Omit<SummarizeDeps, 'prompts'> & { isBatch?: boolean },
): Summary {
  const { input } = prepared;
  const grounding = verifyGrounding(
    res.content,
    input.text,
    res.changeSummary && input.change ? { text: res.changeSummary, oldText: input.change.oldText } : undefined,
  );
  const fields: PublishableFields = { ...res.content, ...(res.changeSummary && input.change ? { changeSummary: res.changeSummary } : {}) };
  const claims = buildClaims(fields, res.evidence ?? [], {
    contentHash: input.contentHash,
    markdown: input.markdown,
    ...(input.baseHash && input.baseMarkdown !== undefined ? { base: { contentHash: input.baseHash, markdown: input.baseMarkdown } } : {}),
    language: input.language,
  });
  const price = priceFor(deps.llm.name, deps.llm.model, deps.prices);
  return {
    id: prepared.key,
    url: input.url,
    contentHash: input.contentHash,
    provider: deps.llm.name,
    model: deps.llm.model,
    promptHash: prepared.promptHash,
    content: res.content,
    ...(res.changeSummary && input.change ? { changeSummary: res.changeSummary } : {}),
    grounding: withClaims(grounding, claims),
    claims,
    verifierVersion: VERIFIER_VERSION,
    usage: res.usage,
    ...(price ? { costUsd: costUsd(res.usage, price, { isBatch: deps.isBatch === true }) } : {}),
    ...(deps.isBatch ? { isBatch: true } : {}),
    audience: input.audience,
    language: input.language,
    plainLanguage: plainLanguageReport(input.text, res.content.summary, deps.targetLix ?? DEFAULT_TARGET_LIX),
    createdAt: deps.clock().toISOString(),
  };
}

const WHERE = new Set<string>(['summary', 'keyFacts', 'appliesTo', 'howToApply', 'deadlines', 'contacts', 'changeSummary']);

/**
 * The grounding report with the claims folded in: it is grounded only when the figures check
 * passed and every claim is supported by its own spans; each unsupported claim is an issue of
 * kind `claim`, so every reader of `isGrounded` (flags, counts, the review page) stays truthful.
 */
export function withClaims(report: GroundingReport, claims: readonly Claim[]): GroundingReport {
  const bad = claims.filter((c) => c.verdict === 'unsupported');
  const issues: GroundingIssue[] = bad.map((c) => ({
    kind: 'claim',
    span: c.text,
    where: (WHERE.has(c.field) ? c.field : 'summary') as GroundingIssue['where'],
  }));
  return {
    isGrounded: report.isGrounded && bad.length === 0,
    checked: report.checked + claims.length,
    issues: [...report.issues, ...issues],
  };
}

/** Summarise one content version: render the prompts, call the provider, check the grounding. */
export async function summarize(input: SummarizeInput, deps: SummarizeDeps): Promise<Summary> {
  const prepared = prepareSummary(input, deps);
  const res = await deps.llm.summarize(prepared.request);
  return completeSummary(prepared, res, deps);
}
