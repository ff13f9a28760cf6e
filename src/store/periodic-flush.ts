/**
 * Saving every few seconds during a long run (the crawl, the review queue): `maybe()` runs `flush`
 * when the interval has passed and no flush is running. A flush rewrites a source's dirty pages or
 * items file whole (summaries are only appended), and a large source's pages take a while to
 * serialise, time taken from the work on a small machine; so the interval grows with the cost (20× the last flush, at most a minute) and
 * flushing stays at ~5 % of the run. A crash loses at most one interval of work.
 *
 * With `timer`, `maybe()` is also called on a timer, so what is done is saved even while the
 * work hangs (an LLM request that never returns); an error of a timed flush is thrown by `stop()`.
 */
export class PeriodicFlush {
  readonly #flush: () => Promise<void>;
  readonly #everyMs: number;
  #interval: number;
  #last = Date.now();
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #error: unknown;

  constructor(flush: () => Promise<void>, opts: { everyMs?: number; timer?: boolean } = {}) {
    this.#flush = flush;
    this.#everyMs = opts.everyMs ?? 2000;
    this.#interval = this.#everyMs;
    if (opts.timer) {
      this.#timer = setInterval(
        () => {
          this.maybe().catch((err: unknown) => (this.#error ??= err));
        },
        Math.max(50, this.#everyMs),
      );
      this.#timer.unref();
    }
  }

  /** Flush when the interval has passed and no flush is running; otherwise nothing. */
  async maybe(): Promise<void> {
    if (this.#running || Date.now() - this.#last < this.#interval) return;
    const t0 = Date.now();
    this.#last = t0;
    this.#running = this.#flush();
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
      this.#interval = Math.max(this.#everyMs, Math.min(60_000, (Date.now() - t0) * 20));
    }
  }

  /**
   * Flush now, after a flush in progress: an injected flush trigger (the crawl's `flushTrigger`)
   * uses it to put flush boundaries exactly where a test wants them.
   */
  async now(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
    this.#last = Date.now();
    this.#running = this.#flush();
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
    }
  }

  /** Stop the timer, wait for a flush in progress, and throw a timed flush's error. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
    if (this.#error !== undefined) throw this.#error;
  }
}
