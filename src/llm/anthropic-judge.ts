/**
 * The LLM judge on Claude through the official SDK: forced tool use (`record_judgement`), the
 * instructions marked for prompt caching, the answer validated with zod (invalid output is asked
 * again once when called directly; in a batch it is a failed outcome the caller may retry), and
 * the Message Batches API for many claims at half price.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage } from '../pipeline/types.js';
import { toLlmError } from './anthropic-errors.js';
import { type AnthropicOptions, usageOf } from './anthropic.js';
import { addUsage } from './cost.js';
import { InvalidOutputError, LlmError } from './errors.js';
import {
  JUDGE_SYSTEM,
  JUDGE_TOOL,
  JUDGE_TOOL_SCHEMA,
  type JudgeOutcome,
  type JudgeProvider,
  type JudgeRequest,
  type JudgeResponse,
  judgePrompt,
  parseJudgement,
} from './judge.js';
import type { BatchStatus } from './provider.js';
import { batchResultStream, batchStatus, submitBatch } from './anthropic-batches.js';

/** Claude as the claims judge. */
export class AnthropicJudge implements JudgeProvider {
  readonly name = 'anthropic';
  readonly model: string;
  readonly #client: Anthropic;

  constructor(opts: AnthropicOptions) {
    this.model = opts.model;
    this.#client = new Anthropic({
      ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
      ...(opts.baseURL === undefined ? {} : { baseURL: opts.baseURL }),
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 120_000,
    });
  }

  #params(req: JudgeRequest): Anthropic.MessageCreateParamsNonStreaming {
    return {
      model: this.model,
      max_tokens: 300,
      system: [{ type: 'text', text: JUDGE_SYSTEM, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: judgePrompt(req) }],
      tools: [{ name: JUDGE_TOOL, description: 'Lagre vurderingen av påstanden.', input_schema: JUDGE_TOOL_SCHEMA }],
      tool_choice: { type: 'tool', name: JUDGE_TOOL },
    };
  }

  /** Input ≈ characters / 3 plus the instructions and tool; output ≤ 300 tokens (a verdict and one sentence). */
  estimate(req: JudgeRequest): TokenUsage {
    return { inputTokens: Math.ceil((JUDGE_SYSTEM.length + judgePrompt(req).length) / 3) + 200, outputTokens: 150 };
  }

  async judge(req: JudgeRequest): Promise<JudgeResponse> {
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let problem = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: Anthropic.Message;
      try {
        res = await this.#client.messages.create(this.#params(req));
      } catch (err) {
        throw toLlmError(err);
      }
      usage = addUsage(usage, usageOf(res.usage));
      const parsed = parseJudgement(res.content.find((b) => b.type === 'tool_use')?.input);
      if (parsed.ok) return { verdict: parsed.verdict, reason: parsed.reason, usage };
      problem = parsed.problem;
    }
    throw new InvalidOutputError(`${this.model} gave no valid judgement after 2 attempts (${problem})`, usage);
  }

  async submitBatch(items: { customId: string; request: JudgeRequest }[]): Promise<string> {
    return submitBatch(
      this.#client,
      items.map((i) => ({ custom_id: i.customId, params: this.#params(i.request) })),
    );
  }

  async batchStatus(id: string): Promise<BatchStatus> {
    return batchStatus(this.#client, id);
  }

  async *batchResults(id: string): AsyncIterable<JudgeOutcome> {
    const stream = await batchResultStream(this.#client, id);
    for await (const line of stream) {
      const r = line.result;
      if (r.type === 'succeeded') {
        const usage = usageOf(r.message.usage);
        const parsed = parseJudgement(r.message.content.find((b) => b.type === 'tool_use')?.input);
        yield parsed.ok
          ? { customId: line.custom_id, ok: true, response: { verdict: parsed.verdict, reason: parsed.reason, usage } }
          : {
              customId: line.custom_id,
              ok: false,
              error: new InvalidOutputError(`${this.model} gave no valid judgement in the batch (${parsed.problem})`, usage),
            };
      } else {
        const type = r.type === 'errored' ? r.error.error.type : r.type;
        yield {
          customId: line.custom_id,
          ok: false,
          error: new LlmError(
            `llm-batch-${type}`,
            `the judge's batch request ${r.type === 'errored' ? `failed: ${type}` : `was ${type}`}`,
            {
              isRetryable: true,
              isFatal: false,
            },
          ),
        };
      }
    }
  }
}
