import type { TokenUsage } from '../pipeline/types.js';

/** Prices of one model in USD per million tokens (Anthropic's list prices are in USD). */
export interface ModelPrice {
  input: number;
  output: number;
  /** Writing to the prompt cache (5-minute cache). */
  cache_write: number;
  /** Reading from the prompt cache. */
  cache_read: number;
}

/** Price table by model id, as in sources.yaml `summarize.prices`. */
export type PriceTable = Record<string, ModelPrice>;

/**
 * Built-in list prices (USD per million tokens, standard API, 5-minute cache writes), used when
 * sources.yaml has no entry for the model. Check https://www.anthropic.com/pricing and override in
 * `summarize.prices` when they change.
 */
export const DEFAULT_PRICES: PriceTable = {
  'claude-sonnet-5-5': { input: 2, output: 10, cache_write: 2.5, cache_read: 0.2 },
  'claude-sonnet-4-6': { input: 3, output: 15, cache_write: 3.75, cache_read: 0.3 },
  'claude-sonnet-4-5': { input: 3, output: 15, cache_write: 3.75, cache_read: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cache_write: 1.25, cache_read: 0.1 },
};

/** The Message Batches API bills every token at half the standard price. */
export const BATCH_PRICE_FACTOR = 0.5;

const FREE: ModelPrice = { input: 0, output: 0, cache_write: 0, cache_read: 0 };

/**
 * The price of a provider's model: the offline provider is free; otherwise the configured table
 * wins over the built-in one. Undefined when the model has no known price (cost not estimated).
 */
export function priceFor(provider: string, model: string, table: PriceTable = {}): ModelPrice | undefined {
  if (provider === 'offline') return FREE;
  return table[model] ?? DEFAULT_PRICES[model];
}

/** Every token of a usage record: input, output, cache writes and cache reads. */
export function totalTokens(u: TokenUsage): number {
  return u.inputTokens + u.outputTokens + (u.cacheWriteTokens ?? 0) + (u.cacheReadTokens ?? 0);
}

/** Estimated cost in USD of a usage record, rounded to 1/1,000,000 USD. */
export function costUsd(u: TokenUsage, price: ModelPrice, opts: { isBatch?: boolean } = {}): number {
  const raw =
    (u.inputTokens * price.input +
      u.outputTokens * price.output +
      (u.cacheWriteTokens ?? 0) * price.cache_write +
      (u.cacheReadTokens ?? 0) * price.cache_read) /
    1_000_000;
  return Math.round(raw * (opts.isBatch ? BATCH_PRICE_FACTOR : 1) * 1_000_000) / 1_000_000;
}

/** The sum of usage records; cache fields only when non-zero. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const cw = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  const cr = (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(cw > 0 ? { cacheWriteTokens: cw } : {}),
    ...(cr > 0 ? { cacheReadTokens: cr } : {}),
  };
}
