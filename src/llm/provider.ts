import type { ClaimEvidence } from '../pipeline/verify/index.js';
import type { SummaryContent, TokenUsage } from '../pipeline/types.js';
import type { LlmError } from './errors.js';

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
  /**
   * For a topic page compiled from several approved pages: each page on its own (its text is also
   * in `prompt`). Providers that read the prompt may ignore it; the offline provider draws from
   * every document in turn, so each member contributes. Absent for a page summary.
   */
  documents?: { url: string; title: string; text: string; markdown: string }[];
}

export interface SummaryResponse {
  content: SummaryContent;
  /** "What changed, and what it means for families"; only when `request.change` was given. */
  changeSummary?: string;
  /**
   * Per sentence of the publishable fields, the verbatim quotes of the page it rests on (for a
   * change summary, each from the old or the new version). The pipeline resolves and verifies them;
   * a sentence without evidence is an unsupported claim.
   */
  evidence?: ClaimEvidence[];
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
  /**
   * Summarise one page. `attempts` (default 2): how many responses with invalid structured output
   * are tried before giving up with `llm-invalid-output`.
   */
  summarize(request: SummaryRequest, opts?: { attempts?: number }): Promise<SummaryResponse>;
  /**
   * A conservative guess of a request's usage before it is sent, for `--max-tokens`/`--max-cost`
   * budgets. Absent for providers that cost nothing.
   */
  estimate?(request: SummaryRequest): TokenUsage;
}

/** One request of a message batch; `customId` comes back with its result. */
export interface BatchItem {
  /** 1–64 characters of `[A-Za-z0-9_-]` (a summary key is 64 hex characters). */
  customId: string;
  request: SummaryRequest;
}

/** The result of one batch request: a validated response, or why there is none. */
export type BatchOutcome = { customId: string; ok: true; response: SummaryResponse } | { customId: string; ok: false; error: LlmError };

export interface BatchStatus {
  id: string;
  /** True when the batch is done (every request succeeded, errored, was canceled or expired). */
  isEnded: boolean;
  counts: { processing: number; succeeded: number; errored: number; canceled: number; expired: number };
}

/** A provider that can also send many requests as one asynchronous batch (half price, slower). */
export interface BatchingProvider extends LlmProvider {
  /** Submit the requests; returns the batch id (to be stored before anything else happens). */
  submitBatch(items: BatchItem[]): Promise<string>;
  batchStatus(id: string): Promise<BatchStatus>;
  /** The results of an ended batch, in any order. Invalid structured output is an `llm-invalid-output` outcome. */
  batchResults(id: string): AsyncIterable<BatchOutcome>;
}

/** Whether a provider supports message batches. */
export function canBatch(p: LlmProvider): p is BatchingProvider {
  return typeof (p as Partial<BatchingProvider>).submitBatch === 'function';
}
