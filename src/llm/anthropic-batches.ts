/**
 * The Message Batches calls both Anthropic providers make (summaries and the claims judge): submit,
 * status and the results stream, with SDK errors mapped to `LlmError`. What a result means stays
 * with each provider.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { toLlmError } from './anthropic-errors.js';
import type { BatchStatus } from './provider.js';

export async function submitBatch(
  client: Anthropic,
  requests: { custom_id: string; params: Anthropic.Messages.MessageCreateParamsNonStreaming }[],
): Promise<string> {
  try {
    return (await client.messages.batches.create({ requests })).id;
  } catch (err) {
    throw toLlmError(err);
  }
}

export async function batchStatus(client: Anthropic, id: string): Promise<BatchStatus> {
  try {
    const b = await client.messages.batches.retrieve(id);
    return { id: b.id, isEnded: b.processing_status === 'ended', counts: { ...b.request_counts } };
  } catch (err) {
    throw toLlmError(err);
  }
}

export async function batchResultStream(
  client: Anthropic,
  id: string,
): Promise<AsyncIterable<Anthropic.Messages.MessageBatchIndividualResponse>> {
  try {
    return await client.messages.batches.results(id);
  } catch (err) {
    throw toLlmError(err);
  }
}
