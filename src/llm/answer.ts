/**
 * The answering side of a provider, for `eti ask`: given a question and numbered approved
 * passages (each with its verbatim source quotes), return sentences each citing passage ids and
 * verbatim quotes, or a refusal. The pipeline resolves every quote in the approved spans and
 * verifies every sentence; a provider's answer is never shown as it came.
 */
import type { TokenUsage } from '../pipeline/types.js';

/** One approved passage as the model is shown it. */
export interface AnswerPassage {
  /** Stable id the model cites (`p1`, `p2`, …). */
  id: string;
  /** The page's title. */
  page: string;
  /** The approved sentence. */
  text: string;
  /** The verbatim source quotes the sentence rests on. */
  quotes: string[];
}

export interface AnswerRequest {
  question: string;
  /** The rendered system prompt (fixed: cacheable). */
  system: string;
  /** The rendered user prompt: the question and the passages as delimited data. */
  prompt: string;
  passages: AnswerPassage[];
}

/** One sentence of an answer with what it cites: passage ids and verbatim quotes of their sources. */
export interface AnswerSentence {
  text: string;
  citations: { passage: string; quote: string }[];
}

export interface AnswerResponse {
  /** True when the model says the passages do not answer the question. */
  isRefused: boolean;
  sentences: AnswerSentence[];
  usage: TokenUsage;
}

/** A model that answers from given passages. Errors: `LlmError` (see llm/errors.ts). */
export interface AnswerProvider {
  readonly name: string;
  readonly model: string;
  /** Answer once; `attempts` (default 2) responses with invalid structured output are tried before `llm-invalid-output`. */
  answer(request: AnswerRequest, opts?: { attempts?: number }): Promise<AnswerResponse>;
}
