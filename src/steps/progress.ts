import type { CrawlEvent } from '../pipeline/crawl/index.js';

/**
 * The crawl's progress line on a terminal: a bar of URLs done of URLs known, the rate, and the
 * busiest hosts with their own done/known counts, e.g.
 * `[######------] 120/450 · 12.3/s · www.nav.no 80/200 · helsenorge.no 40/250 · +3 hosts`.
 * Pure: feed it events, ask it for a line of a given width.
 */
export class CrawlProgress {
  #done = 0;
  #queued = 0;
  readonly #hosts = new Map<string, { done: number; queued: number }>();
  readonly #started: number;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#started = now();
  }

  update(e: CrawlEvent): void {
    this.#done = e.done;
    this.#queued = Math.max(e.queued, e.done);
    this.#hosts.set(e.host, { done: e.hostDone, queued: e.hostQueued });
  }

  line(width = 100): string {
    const barWidth = 20;
    const share = this.#queued === 0 ? 0 : this.#done / this.#queued;
    const filled = Math.round(share * barWidth);
    const secs = Math.max(0.001, (this.#now() - this.#started) / 1000);
    const rate = this.#done / secs;
    let out = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${this.#done}/${this.#queued} · ${rate.toFixed(1)}/s`;
    // Hosts with work left first (most left first), then finished ones; names break ties.
    const hosts = [...this.#hosts].sort(([a, x], [b, y]) => y.queued - y.done - (x.queued - x.done) || (a < b ? -1 : 1));
    let shown = 0;
    for (const [host, h] of hosts) {
      const part = ` · ${host} ${h.done}/${h.queued}`;
      const rest = hosts.length - shown - 1;
      if (out.length + part.length + (rest > 0 ? ` · +${rest} hosts`.length : 0) > width) break;
      out += part;
      shown++;
    }
    if (shown < hosts.length) out += ` · +${hosts.length - shown} host${hosts.length - shown === 1 ? '' : 's'}`;
    return out.slice(0, width);
  }
}

/** "3 failed (http-500 ×2, timeout ×1)": failures grouped by reason, most frequent first. */
export function failuresByReason(failures: readonly { code: string }[]): string {
  const by = new Map<string, number>();
  for (const f of failures) by.set(f.code, (by.get(f.code) ?? 0) + 1);
  const parts = [...by].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([code, n]) => `${code} ×${n}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
