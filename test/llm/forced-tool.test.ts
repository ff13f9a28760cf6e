import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOutputError, LlmError } from '../../src/llm/errors.js';
import { type ForcedToolRequest, forcedToolCall, toolInput } from '../../src/llm/forced-tool.js';
import { type AnthropicServer, startAnthropicServer } from '../helpers/anthropic-server.js';

const KEY = 'sk-ant-test-forced-tool';
const schema = z.object({ word: z.string().min(1) });
const request: ForcedToolRequest = {
  model: 'claude-test',
  maxTokens: 100,
  system: 'Svar med ett ord.',
  prompt: 'Hva heter hovedstaden i Norge?',
  tool: { name: 'record_word', description: 'Lagre ordet.', inputSchema: { type: 'object', properties: { word: { type: 'string' } } } },
};

let server: AnthropicServer;
let client: Anthropic;
beforeEach(async () => {
  server = await startAnthropicServer({ apiKey: KEY });
  client = new Anthropic({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });
});
afterEach(async () => server.close());

const call = (maxAttempts: number, subject?: string) =>
  forcedToolCall({
    client,
    request,
    validate: (res) => toolInput(res, 'record_word', schema),
    maxAttempts,
    what: 'word',
    ...(subject === undefined ? {} : { subject }),
  });

describe('forcedToolCall against the loopback Messages API', () => {
  it('forces the one tool with the system prompt cached, asks again after invalid input and sums the usage of every attempt', async () => {
    server.enqueue({ kind: 'text', text: 'Oslo' }, { kind: 'tool', input: { word: 'Oslo' } });
    const { value, usage } = await call(2);
    expect(value).toEqual({ word: 'Oslo' });
    expect(server.requests).toHaveLength(2);
    const body = server.requests[0]!.body;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'record_word' });
    expect(body.tools?.map((t) => t.name)).toEqual(['record_word']);
    expect(body.system).toEqual([{ type: 'text', text: 'Svar med ett ord.', cache_control: { type: 'ephemeral' } }]);
    expect(body.messages).toEqual([{ role: 'user', content: 'Hva heter hovedstaden i Norge?' }]);
    // The server counts requests from 1001 and writes the system prompt to the cache first, then reads it.
    const systemTokens = Math.ceil('Svar med ett ord.'.length / 4);
    expect(usage).toEqual({ inputTokens: 1001 + 1002, outputTokens: 400, cacheWriteTokens: systemTokens, cacheReadTokens: systemTokens });
  });

  it('after the last invalid attempt throws InvalidOutputError naming subject, model, attempts and the last problem, with all usage', async () => {
    server.enqueue({ kind: 'text', text: 'Oslo' }, { kind: 'tool', input: { word: 42 } }, { kind: 'tool', input: { word: '' } });
    const err = await call(3, 'https://example.no/side').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOutputError);
    expect((err as InvalidOutputError).code).toBe('llm-invalid-output');
    expect((err as InvalidOutputError).message).toMatch(
      /^https:\/\/example\.no\/side: claude-test gave no valid word after 3 attempts \(the tool input is invalid at word: /,
    );
    expect(server.requests).toHaveLength(3);
    expect((err as InvalidOutputError).usage.inputTokens).toBe(1001 + 1002 + 1003);
  });

  it('one attempt: no second call, the error says "1 attempt" and names the missing tool call', async () => {
    server.enqueue({ kind: 'text', text: 'Oslo' });
    const err = await call(1).catch((e: unknown) => e);
    expect((err as Error).message).toBe('claude-test gave no valid word after 1 attempt (the response had no record_word tool call)');
    expect(server.requests).toHaveLength(1);
  });

  it('an API error is not asked again: it becomes the LlmError at once', async () => {
    server.enqueue({ kind: 'error', status: 400, type: 'invalid_request_error', message: 'bad request' });
    const err = await call(2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).not.toBeInstanceOf(InvalidOutputError);
    expect((err as LlmError).code).toBe('llm-http-400');
    expect(server.requests).toHaveLength(1);
  });
});
