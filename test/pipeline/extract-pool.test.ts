/**
 * ExtractPool's per-page deadline (issue 15): a page that overruns it gets `extract-timeout`, its
 * worker is terminated and replaced, and the next page still extracts. Uses the compiled worker
 * (dist/src/pipeline/extract/worker.js): `npm test` builds first. No real waiting: the hostile
 * page is given a 1 ms budget, which no worker can meet (starting one alone takes longer).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ExtractPool } from '../../src/pipeline/extract/pool.js';
import { blockFingerprint } from '../../src/pipeline/extract/learned.js';

const WORKER = new URL('../../dist/src/pipeline/extract/worker.js', import.meta.url);
const PARA =
  'Grunnstønad gis til personer som har nødvendige ekstrautgifter på grunn av varig sykdom, skade eller lyte. Det er seks satser, og sats 1 er 8 232 kroner i året.';
const page = `<!doctype html><html lang="nb"><body><main><h1>Grunnstønad</h1><p>${PARA}</p></main></body></html>`;
const deep = `<html><body>${'<div>'.repeat(20_000)}${PARA}${'</div>'.repeat(20_000)}</body></html>`;

let pool: ExtractPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('ExtractPool', () => {
  it('is run against the built worker', () => {
    expect(existsSync(fileURLToPath(WORKER)), 'build first: npm run build').toBe(true);
  });

  it('stops a worker that overruns its page deadline, records extract-timeout, and extracts the next page in a new worker', async () => {
    pool = new ExtractPool(1, 256, undefined, { workerFile: WORKER });
    expect(pool.isThreaded).toBe(true);
    const slow = await pool.extract(deep, { url: 'https://x.no/dyp', deadlineMs: 1 });
    expect(slow).toMatchObject({ ok: false, code: 'extract-timeout' });
    expect(pool.timeouts).toBe(1);
    const next = await pool.extract(page, { url: 'https://x.no/grunnstonad' });
    if (!next.ok) throw new Error(next.reason);
    expect(next.page.text).toContain('8 232 kroner');
    expect(pool.workersStarted).toBe(2);
  });

  it('extracts pages queued behind a timed-out page, one worker at a time', async () => {
    pool = new ExtractPool(1, 256, undefined, { workerFile: WORKER });
    const results = await Promise.all([
      pool.extract(deep, { url: 'https://x.no/dyp', deadlineMs: 1 }),
      pool.extract(page, { url: 'https://x.no/a' }),
      pool.extract(page, { url: 'https://x.no/b' }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['extract-timeout', 'ok', 'ok']);
  });

  it("hands a source's learned chrome to the worker, which drops it", async () => {
    pool = new ExtractPool(1, 256, undefined, { workerFile: WORKER });
    const box = 'Har du spørsmål om saken din? Skriv til oss på innloggede sider.';
    const withBox = page.replace('</main>', `<div class="boks"><p>${box}</p></div></main>`);
    const plain = await pool.extract(withBox, { url: 'https://x.no/a' });
    const learned = await pool.extract(withBox, { url: 'https://x.no/a', chrome: new Set([blockFingerprint(box)]) });
    if (!plain.ok || !learned.ok) throw new Error('extraction failed');
    expect(plain.page.text).toContain(box);
    expect(learned.page.text).not.toContain(box);
    expect(learned.page.text).toContain('8 232 kroner');
  });

  it('rejects a deadline that is not a positive number', () => {
    expect(() => new ExtractPool(1, 256, undefined, { deadlineMs: 0 })).toThrow(/deadlineMs: expected a positive number, got 0/);
  });
});
