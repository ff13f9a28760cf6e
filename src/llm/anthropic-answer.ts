/**
 * Answers from Claude for `eti ask`, through the official SDK: forced tool use (`record_answer`)
 * so the answer is structured (sentences, each with passage ids and verbatim quotes, or a
 * refusal), the system prompt marked for caching, the tool input validated with zod and asked
 * again once when invalid. The pipeline checks every quote and sentence; nothing here is trusted.
 */
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { TokenUsage } from '../pipeline/types.js';
import { toLlmError } from './anthropic-errors.js';
import type { AnswerProvider, AnswerRequest, AnswerResponse } from './answer.js';
import { addUsage } from './cost.js';
import { InvalidOutputError } from './errors.js';

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
    const attempts = opts.attempts ?? 2;
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let problem = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      let res: Anthropic.Message;
      try {
        res = await this.#client.messages.create({
          model: this.model,
          max_tokens: this.#maxTokens,
          system: [{ type: 'text', text: req.system, cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: req.prompt }],
          tools: [{ name: TOOL_NAME, description: 'Lagre svaret på spørsmålet.', input_schema: INPUT_SCHEMA }],
          tool_choice: { type: 'tool', name: TOOL_NAME },
        });
      } catch (err) {
        throw toLlmError(err);
      }
      const u = res.usage;
      usage = addUsage(usage, {
        inputTokens: u.input_tokens,
        outputTokens: u.output_tokens,
        cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
        cacheReadTokens: u.cache_read_input_tokens ?? 0,
      });
      const block = res.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === TOOL_NAME);
      if (!block) {
        problem = `the response had no ${TOOL_NAME} tool call`;
        continue;
      }
      const parsed = answerSchema.safeParse(block.input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        problem = `the tool input is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
        continue;
      }
      return {
        isRefused: parsed.data.finnes_ikke,
        sentences: parsed.data.setninger.map((s) => ({
          text: s.tekst,
          citations: s.kilder.map((k) => ({ passage: k.utdrag, quote: k.sitat })),
        })),
        usage,
      };
    }
    throw new InvalidOutputError(
      `${this.model} gave no valid answer after ${attempts} attempt${attempts === 1 ? '' : 's'} (${problem})`,
      usage,
    );
  }
}
