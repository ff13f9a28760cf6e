/**
 * The LLM judge on Claude through the official SDK: forced tool use (`record_judgement`), the
 * instructions marked for prompt caching, the answer validated with zod (invalid output is asked
 * again once when called directly; in a batch it is a failed outcome the caller may retry), and
 * the Message Batches API for many claims at half price.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage } from '../pipeline/types.js';
import type { AnthropicOptions } from './anthropic.js';
import { InvalidOutputError, LlmError } from './errors.js';
import { type ForcedToolRequest, forcedToolCall, forcedToolParams, usageOf, type Validated } from './forced-tool.js';
import {
  JUDGE_SYSTEM,
  JUDGE_TOOL,
  JUDGE_TOOL_SCHEMA,
  type JudgeOutcome,
  type JudgeProvider,
  type JudgeRequest,
  type JudgeResponse,
  type JudgeVerdict,
  judgePrompt,
  parseJudgement,
} from './judge.js';
import type { BatchStatus } from './provider.js';
import { batchResultStream, batchStatus, submitBatch } from './anthropic-batches.js';

/** The judgement in a response: the input of its (first) tool call, validated. */
function validateJudgement(res: Anthropic.Message): Validated<{ verdict: JudgeVerdict; reason: string }> {
  const parsed = parseJudgement(res.content.find((b) => b.type === 'tool_use')?.input);
  return parsed.ok ? { ok: true, value: { verdict: parsed.verdict, reason: parsed.reason } } : parsed;
}

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

  #request(req: JudgeRequest): ForcedToolRequest {
    return {
      model: this.model,
      maxTokens: 300,
      system: JUDGE_SYSTEM,
      prompt: judgePrompt(req),
      tool: { name: JUDGE_TOOL, description: 'Lagre vurderingen av påstanden.', inputSchema: JUDGE_TOOL_SCHEMA },
    };
  }

  /** Input ≈ characters / 3 plus the instructions and tool; output ≤ 300 tokens (a verdict and one sentence). */
  estimate(req: JudgeRequest): TokenUsage {
    return { inputTokens: Math.ceil((JUDGE_SYSTEM.length + judgePrompt(req).length) / 3) + 200, outputTokens: 150 };
  }

  async judge(req: JudgeRequest): Promise<JudgeResponse> {
    const { value, usage } = await forcedToolCall({
      client: this.#client,
      request: this.#request(req),
      validate: validateJudgement,
      maxAttempts: 2,
      what: 'judgement',
    });
    return { ...value, usage };
  }

  async submitBatch(items: { customId: string; request: JudgeRequest }[]): Promise<string> {
    return submitBatch(
      this.#client,
      items.map((i) => ({ custom_id: i.customId, params: forcedToolParams(this.#request(i.request)) })),
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
        const parsed = validateJudgement(r.message);
        yield parsed.ok
          ? { customId: line.custom_id, ok: true, response: { ...parsed.value, usage } }
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
