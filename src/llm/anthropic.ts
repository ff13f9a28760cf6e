import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { SummaryContent } from '../pipeline/types.js';
import { LlmError } from './errors.js';
import type { LlmProvider, SummaryRequest, SummaryResponse } from './provider.js';

const contentSchema = z.object({
  summary: z.string().min(1),
  keyFacts: z.array(z.object({ fact: z.string().min(1), quote: z.string().min(1) })).max(20),
  appliesTo: z.string(),
  howToApply: z.string(),
  deadlines: z.array(z.string()),
  changeSummary: z.string().optional(),
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
  };
  if (withChange) properties.changeSummary = { type: 'string', description: 'Hva er endret, og hva betyr det for familier.' };
  return {
    type: 'object',
    properties,
    required: ['summary', 'keyFacts', 'appliesTo', 'howToApply', 'deadlines', ...(withChange ? ['changeSummary'] : [])],
  };
}

export interface AnthropicOptions {
  /** Undefined: the SDK reads ANTHROPIC_API_KEY itself. Never logged. */
  apiKey?: string;
  /** Undefined: the SDK reads ANTHROPIC_BASE_URL, else the public API. */
  baseURL?: string;
  model: string;
  /** SDK retries with backoff on 408/409/429/5xx and connection errors, honouring Retry-After. Default 3. */
  maxRetries?: number;
  timeoutMs?: number;
  maxTokens?: number;
}

/**
 * Summaries from Claude through the official SDK: forced tool use for structured output,
 * the fixed system prompt marked for prompt caching, the tool input validated with zod (one
 * retry on invalid output). Errors become `LlmError`s; the key never appears in messages.
 */
export class AnthropicProvider implements LlmProvider {
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

  async summarize(req: SummaryRequest): Promise<SummaryResponse> {
    const withChange = req.change !== undefined;
    let lastProblem = '';
    const usage = { inputTokens: 0, outputTokens: 0 };
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: Anthropic.Message;
      try {
        res = await this.#client.messages.create({
          model: this.model,
          max_tokens: this.#maxTokens,
          system: [{ type: 'text', text: req.system, cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: req.prompt }],
          tools: [{ name: TOOL_NAME, description: 'Lagre sammendraget av siden.', input_schema: toolSchema(withChange) }],
          tool_choice: { type: 'tool', name: TOOL_NAME },
        });
      } catch (err) {
        throw toLlmError(err);
      }
      usage.inputTokens += res.usage.input_tokens;
      usage.outputTokens += res.usage.output_tokens;
      const block = res.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === TOOL_NAME);
      if (!block) {
        lastProblem = 'the response had no record_summary tool call';
        continue;
      }
      const parsed = contentSchema.safeParse(block.input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        lastProblem = `the tool input is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
        continue;
      }
      const { changeSummary, ...content } = parsed.data;
      return { content: content as SummaryContent, usage, ...(withChange && changeSummary ? { changeSummary } : {}) };
    }
    throw new LlmError('llm-invalid-output', `${req.url}: ${this.model} gave no valid summary after 2 attempts (${lastProblem})`, { isRetryable: false, isFatal: false });
  }
}

function toLlmError(err: unknown): LlmError {
  if (err instanceof APIConnectionError) {
    return new LlmError('llm-connection', `cannot reach the Anthropic API (${err.message})`, { isRetryable: true, isFatal: false, cause: err });
  }
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const detail = (err.error as { error?: { message?: string } } | undefined)?.error?.message ?? '';
    if (status === 401 || status === 403) {
      return new LlmError('llm-auth', `the Anthropic API refused the key (HTTP ${status})`, { isRetryable: false, isFatal: true, cause: err });
    }
    const isRetryable = status === 429 || status === 529 || status >= 500;
    return new LlmError(`llm-http-${status}`, `the Anthropic API answered HTTP ${status}${detail ? `: ${detail}` : ''}`, { isRetryable, isFatal: status === 400 && /credit|billing/i.test(detail), cause: err });
  }
  return new LlmError('llm-failed', err instanceof Error ? err.message : String(err), { isRetryable: false, isFatal: false, cause: err });
}
