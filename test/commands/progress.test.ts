import { describe, expect, it } from 'vitest';
import { CrawlProgress, failuresByReason } from '../../src/steps/progress.js';
import type { CrawlEvent } from '../../src/pipeline/crawl/crawl.js';

const ev = (done: number, queued: number, host: string, hostDone: number, hostQueued: number): CrawlEvent => ({
  type: 'page',
  sourceId: 's',
  url: `https://${host}/`,
  outcome: 'new',
  done,
  queued,
  host,
  hostDone,
  hostQueued,
});

describe('CrawlProgress', () => {
  it('draws a bar of done/known, the rate, and per-host counts with the busiest host first', () => {
    let t = 0;
    const p = new CrawlProgress(() => t);
    p.update(ev(1, 10, 'www.nav.no', 1, 6));
    p.update(ev(5, 10, 'helsenorge.no', 4, 4));
    t = 2000;
    expect(p.line(200)).toBe('[##########----------] 5/10 · 2.5/s · www.nav.no 1/6 · helsenorge.no 4/4');
  });

  it('fits the width, folding hosts that do not fit into a count', () => {
    const p = new CrawlProgress(() => 1000);
    for (let i = 0; i < 30; i++) p.update(ev(i + 1, 60, `kommune${String(i).padStart(2, '0')}.no`, 1, 2));
    const line = p.line(80);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line).toMatch(/ · \+\d+ hosts$/);
    expect(line.startsWith('[##########----------] 30/60')).toBe(true);
  });
});

describe('failuresByReason', () => {
  it('groups failures by code, most frequent first', () => {
    expect(failuresByReason([{ code: 'timeout' }, { code: 'http-500' }, { code: 'http-500' }])).toBe(' (http-500 ×2, timeout ×1)');
    expect(failuresByReason([])).toBe('');
  });
});
