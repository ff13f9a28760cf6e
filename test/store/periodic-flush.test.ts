import { afterEach, describe, expect, it, vi } from 'vitest';
import { PeriodicFlush } from '../../src/store/periodic-flush.js';

describe('PeriodicFlush', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never flushes twice at once, nor before the interval has passed', async () => {
    let calls = 0;
    let release!: () => void;
    const saver = new PeriodicFlush(
      () => {
        calls++;
        return new Promise<void>((r) => (release = r));
      },
      { everyMs: 0 },
    );
    const a = saver.maybe();
    const b = saver.maybe(); // while the first runs: nothing
    expect(calls).toBe(1);
    release();
    await Promise.all([a, b]);
    expect(calls).toBe(1);
    const slow = new PeriodicFlush(async () => void calls++, { everyMs: 60_000 });
    await slow.maybe(); // the interval has not passed since it was made
    expect(calls).toBe(1);
    await slow.stop();
  });

  it('flushes on its timer while the work hangs, and stop() throws a timed flush that failed', async () => {
    // Faked clock and timers: 300 ms pass in the test, none on the machine, so a busy CI cannot starve the timer.
    vi.useFakeTimers();
    let calls = 0;
    const saver = new PeriodicFlush(
      async () => {
        calls++;
        throw new Error('disk full');
      },
      { everyMs: 50, timer: true },
    );
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toBeGreaterThan(1); // again and again, a failed flush does not stop the timer
    await expect(saver.stop()).rejects.toThrow('disk full');
  });
});
