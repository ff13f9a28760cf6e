/**
 * Forced tool use, the way every Anthropic provider gets structured output: the request names one
 * tool the model must call (system prompt marked for prompt caching), the call's input is
 * validated, and an invalid answer is asked again up to `maxAttempts` times. The usage of every
 * attempt is counted (invalid answers are billed too); SDK errors become `LlmError`s at once.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { z } from 'zod';
import type { TokenUsage } from '../pipeline/types.js';
import { toLlmError } from './anthropic-errors.js';
import { addUsage } from './cost.js';
import { InvalidOutputError } from './errors.js';

/** The tool the model is made to call. */
export interface ForcedTool {
  name: string;
  description: string;
  inputSchema: Anthropic.Tool.InputSchema;
}

/** One forced tool request: model, system prompt (cached), one user message. */
export interface ForcedToolRequest {
  model: string;
  maxTokens: number;
  system: string;
  prompt: string;
  tool: ForcedTool;
}

/** What a validator makes of one response: the value, or what is wrong with it. */
export type Validated<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The Messages API parameters of a forced tool request (the same in a batch as in a direct call). */
export function forcedToolParams(req: ForcedToolRequest): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    system: [{ type: 'text', text: req.system, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: req.prompt }],
    tools: [{ name: req.tool.name, description: req.tool.description, input_schema: req.tool.inputSchema }],
    tool_choice: { type: 'tool', name: req.tool.name },
  };
}

/** The SDK's usage as ours: cache writes and reads only when non-zero. */
export function usageOf(u: Anthropic.Usage): TokenUsage {
  const cw = u.cache_creation_input_tokens ?? 0;
  const cr = u.cache_read_input_tokens ?? 0;
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    ...(cw > 0 ? { cacheWriteTokens: cw } : {}),
    ...(cr > 0 ? { cacheReadTokens: cr } : {}),
  };
}

/** The input of the named tool's call in a response, validated by a zod schema; the first issue names the path. */
export function toolInput<S extends z.ZodType>(res: Anthropic.Message, toolName: string, schema: S): Validated<z.infer<S>> {
  const block = res.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === toolName);
  if (!block) return { ok: false, problem: `the response had no ${toolName} tool call` };
  const parsed = schema.safeParse(block.input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: `the tool input is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

export interface ForcedToolCall<T> {
  client: Anthropic;
  request: ForcedToolRequest;
  validate: (res: Anthropic.Message) => Validated<T>;
  /** Calls at most; each invalid answer is asked again while attempts are left. */
  maxAttempts: number;
  /** What the answer is, for the error: `${subject}: ${model} gave no valid ${what} after …`. */
  what: string;
  /** Named first in the error (a page's URL), if any. */
  subject?: string;
}

/**
 * Call until the tool input is valid: the value and the usage of every attempt. Throws the
 * provider's `LlmError` when a call fails, and `InvalidOutputError` (carrying the usage) with
 * the last problem when no attempt gave a valid input.
 */
export async function forcedToolCall<T>(call: ForcedToolCall<T>): Promise<{ value: T; usage: TokenUsage }> {
  const params = forcedToolParams(call.request);
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let problem = '';
  for (let attempt = 0; attempt < call.maxAttempts; attempt++) {
    let res: Anthropic.Message;
    try {
      res = await call.client.messages.create(params);
    } catch (err) {
      throw toLlmError(err);
    }
    usage = addUsage(usage, usageOf(res.usage));
    const validated = call.validate(res);
    if (validated.ok) return { value: validated.value, usage };
    problem = validated.problem;
  }
  const n = call.maxAttempts;
  throw new InvalidOutputError(
    `${call.subject === undefined ? '' : `${call.subject}: `}${call.request.model} gave no valid ${call.what} after ${n} attempt${n === 1 ? '' : 's'} (${problem})`,
    usage,
  );
}
