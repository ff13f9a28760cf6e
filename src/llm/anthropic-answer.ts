/**
 * Answers from Claude for `eti ask`, through the official SDK: forced tool use (`record_answer`)
 * so the answer is structured (sentences, each with passage ids and verbatim quotes, or a
 * refusal), the system prompt marked for caching, the tool input validated with zod and asked
 * again once when invalid (`forced-tool.ts`). The pipeline checks every quote and sentence; nothing here is trusted.
 */
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { AnswerProvider, AnswerRequest, AnswerResponse } from './answer.js';
import { forcedToolCall, toolInput } from './forced-tool.js';

const TOOL_NAME = 'record_answer';

const answerSchema = z.object({
  finnes_ikke: z.boolean(),
  setninger: z.array(
    z.object({
      tekst: z.string(),
      kilder: z.array(z.object({ utdrag: z.string(), sitat: z.string() })),
    }),
  ),
});

const INPUT_SCHEMA: Anthropic.Tool.InputSchema = {
  type: 'object',
  properties: {
    finnes_ikke: { type: 'boolean', description: 'true når utdragene ikke svarer på spørsmålet.' },
    setninger: {
      type: 'array',
      description: 'Svaret, én setning per element. Tom når finnes_ikke er true.',
      items: {
        type: 'object',
        properties: {
          tekst: { type: 'string', description: 'Én setning på enkel norsk bokmål.' },
          kilder: {
            type: 'array',
            description: 'Hva setningen bygger på: utdragets id og et ordrett sitat fra utdragets kildesitater.',
            items: {
              type: 'object',
              properties: { utdrag: { type: 'string' }, sitat: { type: 'string' } },
              required: ['utdrag', 'sitat'],
            },
          },
        },
        required: ['tekst', 'kilder'],
      },
    },
  },
  required: ['finnes_ikke', 'setninger'],
};

export interface AnthropicAnswerOptions {
  /** Undefined: the SDK reads ANTHROPIC_API_KEY itself. Never logged. */
  apiKey?: string;
  baseURL?: string;
  model: string;
  maxRetries?: number;
  timeoutMs?: number;
  maxTokens?: number;
}

/** `eti ask`'s answers from the Anthropic Messages API. */
export class AnthropicAnswerProvider implements AnswerProvider {
  readonly name = 'anthropic';
  readonly model: string;
  readonly #client: Anthropic;
  readonly #maxTokens: number;

  constructor(opts: AnthropicAnswerOptions) {
    this.model = opts.model;
    this.#maxTokens = opts.maxTokens ?? 1024;
    this.#client = new Anthropic({
      ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
      ...(opts.baseURL === undefined ? {} : { baseURL: opts.baseURL }),
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 120_000,
    });
  }

  async answer(req: AnswerRequest, opts: { attempts?: number } = {}): Promise<AnswerResponse> {
    const { value, usage } = await forcedToolCall({
      client: this.#client,
      request: {
        model: this.model,
        maxTokens: this.#maxTokens,
        system: req.system,
        prompt: req.prompt,
        tool: { name: TOOL_NAME, description: 'Lagre svaret på spørsmålet.', inputSchema: INPUT_SCHEMA },
      },
      validate: (res) => toolInput(res, TOOL_NAME, answerSchema),
      maxAttempts: opts.attempts ?? 2,
      what: 'answer',
    });
    return {
      isRefused: value.finnes_ikke,
      sentences: value.setninger.map((s) => ({
        text: s.tekst,
        citations: s.kilder.map((k) => ({ passage: k.utdrag, quote: k.sitat })),
      })),
      usage,
    };
  }
}
