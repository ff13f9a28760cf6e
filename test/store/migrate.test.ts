import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannotRunError } from '../../src/errors.js';
import { STORE_SCHEMA_VERSION } from '../../src/store/records.js';
import { openStore } from '../../src/pipeline/upgrade/index.js';
import { Store } from '../../src/store/store.js';

describe('store schema migration', () => {
  it('brings a version-1 store forward: pending items get their change class, files are stamped on flush', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-migrate-'));
    const seed = await Store.open(dir); // only for its blob store
    const url = 'https://www.nav.no/a';
    const oldText = await seed.blobs.put('Satsen er 8 232 kroner.');
    const newText = await seed.blobs.put('Satsen er 8 500 kroner.');
    const md = await seed.blobs.put('# A');
    const v = (h: string) => ({
      contentHash: h,
      markdownHash: md,
      rawHash: h,
      title: 'A',
      lang: 'nb',
      dates: {},
      dateStamps: [],
      method: 'main',
      via: 'http',
      firstSeenAt: '2026-01-01T00:00:00Z',
      lastSeenAt: '2026-01-01T00:00:00Z',
    });
    const base = { sourceId: 'nav', url, kind: 'changed', createdAt: '2026-01-01T00:00:00Z' };
    const v1Shard = {
      schemaVersion: 1,
      sourceId: 'nav',
      pages: {
        [url]: {
          url,
          sourceId: 'nav',
          finalUrl: url,
          redirects: [],
          depth: 0,
          firstSeenAt: '2026-01-01T00:00:00Z',
          consecutiveFailures: 0,
          versions: [v(oldText), v(newText)],
        },
      },
      summaries: {},
      reviews: {
        p1: { ...base, id: 'p1', contentHash: newText, baseHash: oldText, status: 'pending' },
        a1: {
          ...base,
          id: 'a1',
          kind: 'new',
          contentHash: oldText,
          status: 'approved',
          decidedBy: 'Kari',
          decidedAt: '2026-01-01T00:00:00Z',
        },
      },
    };
    await mkdir(path.join(dir, 'index'), { recursive: true });
    await writeFile(path.join(dir, 'index', 'nav.json'), JSON.stringify(v1Shard));
    await writeFile(path.join(dir, 'index', 'meta.json'), JSON.stringify({ schemaVersion: 1, runs: [] }));

    const store = await openStore(dir);
    const shard = await store.shard('nav');
    expect(shard.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(shard.reviews.p1).toMatchObject({ changeClass: 'material', classReasons: ['figure 8 232 → 8 500'] });
    expect(shard.reviews.a1!.changeClass).toBeUndefined(); // decided items keep their history as it was
    await store.flush();
    expect(JSON.parse(await readFile(path.join(dir, 'index', 'nav.json'), 'utf8')).schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(JSON.parse(await readFile(path.join(dir, 'index', 'meta.json'), 'utf8')).schemaVersion).toBe(STORE_SCHEMA_VERSION);
  });

  it('brings a version-2 store forward: old summaries are re-verified once; failing items go back to pending with the reason; what is published stays', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-migrate-'));
    const seed = await Store.open(dir);
    const page =
      'Grunnstønad\n\n| Sats | Per år |\n| --- | --- |\n| Sats 1 | 8 232 kroner |\n\nDu kan søke på [nav.no](https://www.nav.no/soknad).';
    const text = await seed.blobs.put('Grunnstønad\nSats | Per år\nSats 1 | 8 232 kroner\nDu kan søke på nav.no.');
    const md = await seed.blobs.put(page);
    const v = {
      contentHash: text,
      markdownHash: md,
      rawHash: text,
      title: 'A',
      lang: 'nb',
      dates: {},
      dateStamps: [],
      method: 'main',
      via: 'http',
      firstSeenAt: '2026-01-01T00:00:00Z',
      lastSeenAt: '2026-01-01T00:00:00Z',
    };
    const summary = (id: string, s: string) => ({
      id,
      url: '',
      contentHash: text,
      provider: 'anthropic',
      model: 'm',
      promptHash: 'p',
      language: 'nb',
      content: {
        summary: s,
        keyFacts: [{ fact: 'Sats 1 er 8 232 kroner per år.', quote: 'Sats 1 | 8 232 kroner' }],
        appliesTo: '',
        howToApply: '',
        deadlines: [],
      },
      grounding: { isGrounded: true, checked: 2, issues: [] },
      usage: { inputTokens: 0, outputTokens: 0 },
      createdAt: '2026-01-01T00:00:00Z',
    });
    const a = 'https://www.nav.no/a';
    const b = 'https://www.nav.no/b';
    const pageRec = (url: string) => ({
      url,
      sourceId: 'nav',
      finalUrl: url,
      redirects: [],
      depth: 0,
      firstSeenAt: '2026-01-01T00:00:00Z',
      consecutiveFailures: 0,
      versions: [v],
    });
    const good = { ...summary('sa', 'Du kan søke på nav.no.'), url: a };
    const bad = { ...summary('sb', 'Fra 1. mars 2031 er satsen 99 999 kr per år.'), url: b };
    const base = { sourceId: 'nav', kind: 'new', contentHash: text, createdAt: '2026-01-01T00:00:00Z' };
    const v2Shard = {
      schemaVersion: 2,
      sourceId: 'nav',
      pages: { [a]: pageRec(a), [b]: pageRec(b) },
      summaries: { sa: good, sb: bad },
      reviews: {
        pa: { ...base, id: 'pa', url: a, summaryId: 'sa', status: 'pending', changeClass: 'material' },
        ab: {
          ...base,
          id: 'ab',
          url: b,
          summaryId: 'sb',
          status: 'approved',
          decidedBy: 'Kari',
          decidedAt: '2026-01-02T00:00:00Z',
          changeClass: 'material',
        },
      },
    };
    await mkdir(path.join(dir, 'index'), { recursive: true });
    await writeFile(path.join(dir, 'index', 'nav.json'), JSON.stringify(v2Shard));
    await writeFile(path.join(dir, 'index', 'meta.json'), JSON.stringify({ schemaVersion: 2, runs: [] }));

    const store = await openStore(dir);
    const shard = await store.shard('nav');
    expect(shard.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    // The faithful summary: its sentence is found in the stored Markdown (link text folded), the fact cites its quote.
    const summaries = await store.summaries('nav');
    const sa = summaries.sa!;
    expect(sa.claims!.map((c) => [c.field, c.verdict])).toEqual([
      ['summary', 'supported'],
      ['keyFacts', 'supported'],
    ]);
    expect(page.slice(sa.claims![0]!.spans[0]!.start, sa.claims![0]!.spans[0]!.end)).toBe(
      'Du kan søke på [nav.no](https://www.nav.no/soknad).',
    );
    expect(sa.grounding.isGrounded).toBe(true);
    expect(shard.reviews.pa!.note).toBeUndefined();
    // The fabricated one: span-missing, ungrounded; the published approval stays, a new pending item asks again.
    const sb = summaries.sb!;
    expect(sb.claims![0]).toMatchObject({
      field: 'summary',
      verdict: 'unsupported',
      findings: [expect.objectContaining({ code: 'span-missing' })],
    });
    expect(sb.grounding.isGrounded).toBe(false);
    expect(shard.reviews.ab).toMatchObject({ status: 'approved', decidedBy: 'Kari' });
    const again = Object.values(shard.reviews).filter((i) => i.url === b && i.status === 'pending');
    expect(again).toEqual([
      expect.objectContaining({
        contentHash: text,
        summaryId: 'sb',
        note: expect.stringContaining('1 påstand er ikke bekreftet av kilden (summary.0)'),
      }),
    ]);
    // Once: loading the migrated store again changes nothing.
    await store.flush();
    const rereadStore = await openStore(dir);
    const reread = await rereadStore.shard('nav');
    expect(Object.keys(reread.reviews).sort()).toEqual(Object.keys(shard.reviews).sort());
    expect((await rereadStore.summaries('nav')).sb!.claims).toEqual(sb.claims);
  });

  it('refuses a store written by a newer eti, naming the file, and changes nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-migrate-'));
    await mkdir(path.join(dir, 'index'), { recursive: true });
    const future = JSON.stringify({ schemaVersion: 99, sourceId: 'nav', pages: {}, summaries: {}, reviews: {} });
    await writeFile(path.join(dir, 'index', 'nav.json'), future);
    const store = await Store.open(dir);
    const err = await store.shard('nav').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CannotRunError);
    expect((err as Error).message).toMatch(/nav\.json: store schema version 99 is newer than this eti understands/);
    await store.flush();
    expect(await readFile(path.join(dir, 'index', 'nav.json'), 'utf8')).toBe(future);
  });
});
