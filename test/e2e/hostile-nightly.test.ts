/**
 * The nightly run over hostile pages (issue 15), in CI: a full `eti run --ci` of the built CLI
 * (crawl, summarise with the offline provider, publish) over the loopback site of
 * bench/hostile-site.ts, in http and in browser mode. Outcomes only, no durations (those are
 * `npm run bench:hostile`'s): the run finishes with exit 3 (pages failed; nothing approved yet, so no bundle is written), the 20,000-deep and
 * 5,000-link pages are stored with their text or recorded as extract-timeout, every other hostile
 * page has its own reason, the other host is never asked, and the ordinary pages are summarised.
 * Needs `npm run build` first (`npm test` does it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostileStore, prepareHostileWorkspace, startHostileSite } from '../../bench/hostile-site.js';
import { storeDirOf } from '../../src/store/store.js';
import { eti, jsonLines, ROOT } from '../helpers/cli-process.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
const PAGES = 4;

async function nightly(render: 'http' | 'browser'): Promise<void> {
  const site = await startHostileSite({ pages: PAGES });
  const ws = await mkdtemp(path.join(os.tmpdir(), `eti-hostile-${render}-`));
  try {
    await prepareHostileWorkspace(ws, site.origin, render, ROOT);
    const r = await eti(['run', '--ci', '-w', ws], { ETI_CHROMIUM: CHROMIUM, ETI_NOW: '2026-12-01T02:00:00.000Z' });
    expect(r.stderr).not.toMatch(/internal error/);
    const result = jsonLines(r.stdout).find((j) => j.type === 'run-result');
    expect(result, r.stderr).toBeDefined();
    expect(r.code).toBe(3);
    expect(result!.outcome).toBe('failed-pages');

    const outcomes = await checkHostileStore(storeDirOf(ws), site.origin, render);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    const byPath = Object.fromEntries(outcomes.map((o) => [o.path, o.outcome]));
    expect(byPath).toMatchObject({
      '/stopp/': 'timeout',
      '/bombe/': 'too-large',
      '/stor/': 'too-large',
      '/reset/': 'network',
      '/ut/': 'redirect-out-of-scope',
      '/cp1252/': 'text',
      '/udeklarert/': 'text',
    });
    expect(site.otherHits()).toBe(0);
    // The index, the ordinary pages and the text pages among the hostile ones, each summarised once.
    const stored = 1 + PAGES + outcomes.filter((o) => o.outcome === 'text').length;
    expect(result!.crawl.new).toBe(stored);
    expect(result!.summaries.created).toBe(stored);
    // Each hostile page that was not stored failed once, with the reason its record holds.
    const heavy = outcomes.filter((o) => ['/dyp/', '/lenker/'].includes(o.path) && o.outcome !== 'text').map((o) => o.outcome);
    expect(result!.failures.map((f: { code: string }) => f.code).sort()).toEqual(
      ['network', 'redirect-out-of-scope', 'timeout', 'too-large', 'too-large', ...heavy].sort(),
    );
    // Nothing is approved yet, so no (empty) bundle was written over anything.
    expect(result!.bundle).toEqual({ pages: 0, isNew: false, skipped: 'nothing-approved' });
    expect(existsSync(path.join(ws, 'output'))).toBe(false);
  } finally {
    await site.close();
    await rm(ws, { recursive: true, force: true });
  }
}

describe('a nightly eti run over hostile pages', () => {
  it('http mode: finishes, records every hostile page with its text or its reason, summarises the rest', () => nightly('http'), 300_000);

  it.skipIf(!existsSync(CHROMIUM))('browser mode: the same outcomes', () => nightly('browser'), 600_000);
});
