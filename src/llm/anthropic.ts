import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { ClaimEvidence } from '../pipeline/verify/index.js';
import type { SummaryContent, TokenUsage } from '../pipeline/types.js';
import { InvalidOutputError, LlmError } from './errors.js';
import { type ForcedToolRequest, forcedToolCall, forcedToolParams, toolInput, usageOf, type Validated } from './forced-tool.js';
import type { BatchingProvider, BatchItem, BatchOutcome, BatchStatus, SummaryRequest, SummaryResponse } from './provider.js';
import { batchResultStream, batchStatus, submitBatch } from './anthropic-batches.js';

const contentSchema = z.object({
  summary: z.string().min(1),
  keyFacts: z.array(z.object({ fact: z.string().min(1), quote: z.string().min(1) })).max(20),
  appliesTo: z.string(),
  howToApply: z.string(),
  deadlines: z.array(z.string()),
  contacts: z.array(z.string()).optional(),
  changeSummary: z.string().optional(),
  // Quotes are the evidence every published sentence rests on: an answer without them is invalid.
  evidence: z
    .array(
      z.object({
        field: z.string().min(1),
        text: z.string().min(1),
        quotes: z.array(z.object({ quote: z.string().min(1), version: z.enum(['ny', 'gammel']).optional() })).min(1),
      }),
    )
    .min(1),
});

const TOOL_NAME = 'record_summary';

function toolSchema(withChange: boolean): Anthropic.Tool.InputSchema {
  const properties: Record<string, unknown> = {
    summary: { type: 'string', description: 'Sammendrag i klart språk, 3–6 korte setninger.' },
    keyFacts: {
      type: 'array',
      description: 'Viktige fakta (beløp, aldersgrenser, frister, vilkår), hvert med et ordrett sitat fra siden.',
      items: {
        type: 'object',
        properties: { fact: { type: 'string' }, quote: { type: 'string', description: 'Ordrett fra siden.' } },
        required: ['fact', 'quote'],
      },
    },
    appliesTo: { type: 'string', description: 'Hvem ordningen gjelder for, eller tom tekst.' },
    howToApply: { type: 'string', description: 'Hvordan man søker, eller tom tekst.' },
    deadlines: { type: 'array', items: { type: 'string' }, description: 'Frister som står på siden.' },
    contacts: {
      type: 'array',
      items: { type: 'string' },
      description: 'Hvem man kan kontakte (telefon, e-post, adresse) slik det står på siden.',
    },
  };
  if (withChange) properties.changeSummary = { type: 'string', description: 'Hva er endret, og hva betyr det for familier.' };
  properties.evidence = {
    type: 'array',
    description:
      'Kildene: én oppføring for hver setning i hvert felt over, med ett eller flere ordrette sitater fra siden som setningen bygger på.',
    items: {
      type: 'object',
      properties: {
        field: {
          type: 'string',
          description: 'Feltet setningen står i (summary, keyFacts, appliesTo, howToApply, deadlines, contacts eller changeSummary).',
        },
        text: { type: 'string', description: 'Setningen slik du skrev den.' },
        quotes: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              quote: { type: 'string', description: 'Ordrett fra siden, tegn for tegn.' },
              ...(withChange
                ? {
                    version: {
                      type: 'string',
                      enum: ['ny', 'gammel'],
                      description: '«gammel» for sitat fra teksten som er fjernet, ellers «ny».',
                    },
                  }
                : {}),
            },
            required: ['quote'],
          },
        },
      },
      required: ['field', 'text', 'quotes'],
    },
  };
  return {
    type: 'object',
    properties,
    required: [
      'summary',
      'keyFacts',
      'appliesTo',
      'howToApply',
      'deadlines',
      'contacts',
      ...(withChange ? ['changeSummary'] : []),
      'evidence',
    ],
  };
}

export interface AnthropicOptions {
  /** Undefined: the SDK reads ANTHROPIC_API_KEY itself. Never logged. */
  apiKey?: string;
  /** Undefined: the SDK reads ANTHROPIC_BASE_URL, else the public API. */
  baseURL?: string;
  model: string;
  /**
   * Retries of one HTTP request, done by the SDK: on 408, 409, 429, 5xx (529 included) and
   * connection errors, waiting `retry-after-ms`/`retry-after` when the API sends one, else
   * exponential backoff from 0.5 s (×2 per retry, at most 8 s) with up to 25 % jitter. Default 3.
   */
  maxRetries?: number;
  timeoutMs?: number;
  maxTokens?: number;
}

/** A summary as the tool's input gives it. */
interface ParsedSummary {
  content: SummaryContent;
  changeSummary?: string;
  evidence: ClaimEvidence[];
}

/** A validated summary out of a message, or what is wrong with it. */
function parseMessage(res: Anthropic.Message, withChange: boolean): Validated<ParsedSummary> {
  const parsed = toolInput(res, TOOL_NAME, contentSchema);
  if (!parsed.ok) return parsed;
  const { changeSummary, evidence, ...content } = parsed.value;
  const cleaned = evidence.map((e) => ({
    field: e.field,
    text: e.text,
    quotes: e.quotes.map((q) => ({
      quote: q.quote,
      ...(q.version ? { version: q.version === 'gammel' ? ('old' as const) : ('new' as const) } : {}),
    })),
  }));
  return {
    ok: true,
    value: { content: content as SummaryContent, evidence: cleaned, ...(withChange && changeSummary ? { changeSummary } : {}) },
  };
}

/** The provider's response for a parsed summary and the usage it took. */
function responseOf(parsed: ParsedSummary, usage: TokenUsage): SummaryResponse {
  return {
    content: parsed.content,
    evidence: parsed.evidence,
    usage,
    ...(parsed.changeSummary ? { changeSummary: parsed.changeSummary } : {}),
  };
}

/**
 * Summaries from Claude through the official SDK: forced tool use for structured output
 * (`forced-tool.ts`), the fixed part (tools and system prompt) marked for prompt caching, the
 * tool input validated with zod (invalid output is asked again once). Errors become `LlmError`s;
 * the key never appears in messages. Also sends many pages as one Message Batch (`submitBatch`).
 */
export class AnthropicProvider implements BatchingProvider {
  readonly name = 'anthropic';
  readonly model: string;
  readonly #client: Anthropic;
  readonly #maxTokens: number;

  constructor(opts: AnthropicOptions) {
    this.model = opts.model;
    this.#maxTokens = opts.maxTokens ?? 2048;
    this.#client = new Anthropic({
      ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
      ...(opts.baseURL === undefined ? {} : { baseURL: opts.baseURL }),
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 120_000,
    });
  }

  /** One request as a forced `record_summary` call (the same in a batch as in a direct call). */
  #request(req: SummaryRequest): ForcedToolRequest {
    return {
      model: this.model,
      maxTokens: this.#maxTokens,
      system: req.system,
      prompt: req.prompt,
      tool: { name: TOOL_NAME, description: 'Lagre sammendraget av siden.', inputSchema: toolSchema(req.change !== undefined) },
    };
  }

  /** Input ≈ characters / 3 (Norwegian tokenises densely) plus the tool schema; output ≈ 1,200 tokens or max_tokens. */
  estimate(req: SummaryRequest): TokenUsage {
    return { inputTokens: Math.ceil((req.system.length + req.prompt.length) / 3) + 400, outputTokens: Math.min(this.#maxTokens, 1200) };
  }

  async summarize(req: SummaryRequest, opts: { attempts?: number } = {}): Promise<SummaryResponse> {
    const withChange = req.change !== undefined;
    const { value, usage } = await forcedToolCall({
      client: this.#client,
      request: this.#request(req),
      validate: (res) => parseMessage(res, withChange),
      maxAttempts: opts.attempts ?? 2,
      what: 'summary',
      subject: req.url,
    });
    return responseOf(value, usage);
  }

  async submitBatch(items: BatchItem[]): Promise<string> {
    return submitBatch(
      this.#client,
      items.map((i) => ({ custom_id: i.customId, params: forcedToolParams(this.#request(i.request)) })),
    );
  }

  async batchStatus(id: string): Promise<BatchStatus> {
    return batchStatus(this.#client, id);
  }

  async *batchResults(id: string): AsyncIterable<BatchOutcome> {
    const stream = await batchResultStream(this.#client, id);
    for await (const line of stream) {
      const customId = line.custom_id;
      const r = line.result;
      if (r.type === 'succeeded') {
        const usage = usageOf(r.message.usage);
        // Whether a changeSummary was asked for is the caller's to know; it is passed on when present.
        const parsed = parseMessage(r.message, true);
        if (parsed.ok) yield { customId, ok: true, response: responseOf(parsed.value, usage) };
        else
          yield {
            customId,
            ok: false,
            error: new InvalidOutputError(`${this.model} gave no valid summary in the batch (${parsed.problem})`, usage),
          };
      } else if (r.type === 'errored') {
        const e = r.error.error;
        const isRetryable = ['rate_limit_error', 'overloaded_error', 'api_error', 'timeout_error'].includes(e.type);
        yield {
          customId,
          ok: false,
          error: new LlmError(`llm-batch-${e.type}`, `the batch request failed: ${e.type}${e.message ? `: ${e.message}` : ''}`, {
            isRetryable,
            isFatal: false,
          }),
        };
      } else {
        yield {
          customId,
          ok: false,
          error: new LlmError(`llm-batch-${r.type}`, `the batch request was ${r.type} before it ran`, {
            isRetryable: true,
            isFatal: false,
          }),
        };
      }
    }
  }
}
