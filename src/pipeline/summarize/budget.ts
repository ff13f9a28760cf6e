import { addUsage, costUsd, totalTokens, type ModelPrice } from '../../llm/cost.js';
import type { TokenUsage } from '../types.js';

/** Token and cost limits of one summarise run; each is optional. (--max-calls is counted by the queue, in page order.) */
export interface BudgetLimits {
  /** Tokens of every kind (input, output, cache writes and reads). */
  maxTokens?: number;
  /** Estimated cost in USD. */
  maxCostUsd?: number;
}

/** Which limit stopped a page from being sent. */
export type BudgetLimit = 'max-calls' | 'max-tokens' | 'max-cost';

/**
 * The spending of one run against its limits. A page is sent only when what is spent, plus what
 * calls in flight are expected to spend, plus this page's estimate, fits every limit: a run
 * stops before a limit, never after it by more than the estimates were wrong. Estimates are
 * replaced by the real usage when each call returns (`settle`).
 */
export class Budget {
  readonly limits: BudgetLimits;
  readonly #price: ModelPrice | undefined;
  readonly #isBatch: boolean;
  calls = 0;
  usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  costUsd = 0;
  #reservedTokens = 0;
  #reservedCost = 0;

  constructor(limits: BudgetLimits, price: ModelPrice | undefined, opts: { isBatch?: boolean } = {}) {
    this.limits = limits;
    this.#price = price;
    this.#isBatch = opts.isBatch === true;
  }

  #cost(u: TokenUsage): number {
    return this.#price ? costUsd(u, this.#price, { isBatch: this.#isBatch }) : 0;
  }

  /**
   * Reserve room for one call with this estimated usage (zero for free providers). Returns the
   * limit that would be passed, or undefined when the call may go ahead (and is counted).
   */
  reserve(estimate: TokenUsage | undefined): BudgetLimit | undefined {
    const est = estimate ?? { inputTokens: 0, outputTokens: 0 };
    const { maxTokens, maxCostUsd } = this.limits;
    const tokens = totalTokens(est);
    if (maxTokens !== undefined && totalTokens(this.usage) + this.#reservedTokens + tokens > maxTokens) return 'max-tokens';
    const cost = this.#cost(est);
    if (maxCostUsd !== undefined && this.costUsd + this.#reservedCost + cost > maxCostUsd) return 'max-cost';
    this.calls++;
    this.#reservedTokens += tokens;
    this.#reservedCost += cost;
    return undefined;
  }

  /** Replace a reservation by what the call really used (also for a failed call: its tokens were billed). */
  settle(estimate: TokenUsage | undefined, actual: TokenUsage): void {
    const est = estimate ?? { inputTokens: 0, outputTokens: 0 };
    this.#reservedTokens -= totalTokens(est);
    this.#reservedCost -= this.#cost(est);
    this.usage = addUsage(this.usage, actual);
    this.costUsd = Math.round((this.costUsd + this.#cost(actual)) * 1_000_000) / 1_000_000;
  }
}
