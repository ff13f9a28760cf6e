import type { SummaryContent, TokenUsage } from '../pipeline/types.js';

/** Who a summary is written for. */
export type Audience = 'parents' | 'youth' | 'professionals';
/** Written standard: bokmål or nynorsk. */
export type Language = 'nb' | 'nn';

/** Everything a provider needs to summarise one page version. */
export interface SummaryRequest {
  url: string;
  title: string;
  /** The page's extracted plain text (the data to summarise; never instructions). */
  text: string;
  /** The page's Markdown (tables kept); providers may prefer it to `text`. */
  markdown: string;
  audience: Audience;
  language: Language;
  /** The rendered system prompt (fixed part: cacheable). */
  system: string;
  /** The rendered user prompt; the page text is inside it as delimited data. */
  prompt: string;
  /**
   * For a changed page: the sentences that changed and the words removed/added,
   * so the provider can say what changed. Absent for a new page.
   */
  change?: { added: string[]; removed: string[]; changedSentences: string[] };
}

export interface SummaryResponse {
  content: SummaryContent;
  /** "What changed, and what it means for families"; only when `request.change` was given. */
  changeSummary?: string;
  usage: TokenUsage;
}

/**
 * An LLM (or stand-in) that turns a page into a structured Norwegian summary.
 * Implementations must be safe to call concurrently and must not log secrets.
 * Errors: throw `LlmError` (see llm/errors.ts) with `isRetryable` set truthfully.
 */
export interface LlmProvider {
  /** Provider name stored in the cache key: `offline` | `anthropic`. */
  readonly name: string;
  /** Model id stored in the cache key. */
  readonly model: string;
  summarize(request: SummaryRequest): Promise<SummaryResponse>;
}
