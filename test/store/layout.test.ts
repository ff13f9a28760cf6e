import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReviewItem, Summary } from '../../src/pipeline/types.js';
import { STORE_SCHEMA_VERSION, type PageRecord } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'store-v3');
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'eti-layout-'));

const page = (sourceId: string, url: string): PageRecord => ({
  url,
  sourceId,
  finalUrl: url,
  redirects: [],
  depth: 0,
  firstSeenAt: '2026-01-01T00:00:00.000Z',
  consecutiveFailures: 0,
  versions: [],
});

const summary = (id: string, url: string): Summary => ({
  id,
  url,
  contentHash: 'h',
  provider: 'offline',
  model: 'm',
  promptHash: 'p',
  content: { summary: `Oppsummering ${id} – kort.`, keyFacts: [], appliesTo: '', howToApply: '', deadlines: [] },
  grounding: { isGrounded: true, checked: 0, issues: [] },
  usage: { inputTokens: 0, outputTokens: 0 },
  createdAt: '2026-01-01T00:00:00Z',
});

const item = (id: string, url: string, status: ReviewItem['status'] = 'pending'): ReviewItem => ({
  id,
  sourceId: 'nav',
  url,
  kind: 'new',
  contentHash: 'h',
  status,
  createdAt: '2026-01-01T00:00:00Z',
});

const json = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

describe('store layout (schema 4)', () => {
  it('keeps summaries and review items in files of their own; a flush writes only the kind that changed', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    const url = 'https://nav.example/a';
    store.putPage(page('nav', url));
    store.putSummary('nav', summary('s1', url));
    store.putReview(item('i1', url));
    await store.flush();
    const index = path.join(dir, 'index');
    expect((await readdir(index)).sort()).toEqual(['nav.json', 'nav.reviews.json', 'nav.summaries.jsonl']);
    expect(Object.keys(await json(path.join(index, 'nav.json')))).toEqual(['schemaVersion', 'sourceId', 'pages']);
    expect(await readFile(path.join(index, 'nav.summaries.jsonl'), 'utf8')).toBe(`${JSON.stringify(summary('s1', url))}\n`);

    // A hand edit of the pages file survives a flush that only added a summary and changed an item.
    const pagesBefore = await readFile(path.join(index, 'nav.json'), 'utf8');
    await writeFile(path.join(index, 'nav.json'), pagesBefore.replace('"depth":0', '"depth":7'));
    store.putSummary('nav', summary('s2', url));
    store.putReview({ ...item('i1', url, 'approved'), decidedBy: 'Kari' });
    await store.flush();
    expect(await readFile(path.join(index, 'nav.json'), 'utf8')).toContain('"depth":7');
    // Appended, not rewritten: the first line is as it was.
    const lines = (await readFile(path.join(index, 'nav.summaries.jsonl'), 'utf8')).split('\n');
    expect(lines.map((l) => (l ? (JSON.parse(l) as Summary).id : ''))).toEqual(['s1', 's2', '']);
    const reopened = await Store.open(dir);
    expect(Object.keys(await reopened.summaries('nav'))).toEqual(['s1', 's2']);
    expect((await reopened.reviews()).map((i) => i.status)).toEqual(['approved']);
  });

  it('skips a torn last summary line (a kill mid-append) and rewrites the file whole at the next flush', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    const url = 'https://nav.example/a';
    store.putSummary('nav', summary('s1', url));
    await store.flush();
    const file = path.join(dir, 'index', 'nav.summaries.jsonl');
    await writeFile(file, '{"id":"s2","url":"ht', { flag: 'a' });
    const again = await Store.open(dir);
    expect(Object.keys(await again.summaries('nav'))).toEqual(['s1']);
    again.putSummary('nav', summary('s3', url));
    await again.flush();
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(summary('s1', url))}\n${JSON.stringify(summary('s3', url))}\n`);
  });

  it('names the file and line of a summary line that is not JSON', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    store.putSummary('nav', summary('s1', 'https://nav.example/a'));
    await store.flush();
    const file = path.join(dir, 'index', 'nav.summaries.jsonl');
    await writeFile(file, `{oops\n${await readFile(file, 'utf8')}`);
    await expect((await Store.open(dir)).shard('nav')).rejects.toThrow(/nav\.summaries\.jsonl:1: cannot read a stored summary/);
  });

  it('takes writes to a source not read yet, and a forgotten summary is gone after the next flush', async () => {
    const dir = await tmp();
    const first = await Store.open(dir);
    first.putPage(page('nav', 'https://nav.example/a'));
    first.putSummary('nav', summary('s1', 'https://nav.example/a'));
    first.putSummary('nav', summary('s2', 'https://nav.example/a'));
    await first.flush();
    const store = await Store.open(dir);
    // Not read yet: the writes wait for the source to load, on top of what is on disk.
    store.putPage(page('nav', 'https://nav.example/b'));
    store.dropSummary('nav', 's1');
    expect(Object.keys((await store.shard('nav')).pages).sort()).toEqual(['https://nav.example/a', 'https://nav.example/b']);
    await store.flush();
    const rereadStore = await Store.open(dir);
    expect(Object.keys((await rereadStore.shard('nav')).pages)).toHaveLength(2);
    expect(Object.keys(await rereadStore.summaries('nav'))).toEqual(['s2']);
    // Not held in memory once written: read back from the file, a fresh copy each time.
    const a = await rereadStore.summary('nav', 's2');
    expect(a).toEqual(summary('s2', 'https://nav.example/a'));
    expect(await rereadStore.summary('nav', 's2')).not.toBe(a);
  });

  it('moves a schema-3 store written by the eti before it into the new files, unchanged, once', async () => {
    const dir = await tmp();
    await cp(FIXTURE, dir, { recursive: true });
    const index = path.join(dir, 'index');
    const old = (await json(path.join(index, 'demo-fjordvik.json'))) as {
      schemaVersion: number;
      pages: object;
      summaries: object;
      reviews: object;
    };
    expect(old.schemaVersion).toBe(3);
    const store = await Store.open(dir);
    expect(await store.sourceIds()).toEqual(['demo-fjordvik', 'demo-statped']);
    const shard = await store.shard('demo-fjordvik');
    expect(shard.pages).toEqual(old.pages);
    expect(await store.summaries('demo-fjordvik')).toEqual(old.summaries);
    expect(shard.reviews).toEqual(old.reviews);
    // A kill after the new summaries and items files, before the pages file: the old file still
    // holds everything, and the next open moves it again.
    await store.flush();
    expect((await readdir(index)).sort()).toEqual([
      'demo-fjordvik.json',
      'demo-fjordvik.reviews.json',
      'demo-fjordvik.summaries.jsonl',
      'demo-statped.json',
      'meta.json',
    ]);
    const pages = await json(path.join(index, 'demo-fjordvik.json'));
    expect(pages).toEqual({ schemaVersion: STORE_SCHEMA_VERSION, sourceId: 'demo-fjordvik', pages: old.pages });
    expect((await json(path.join(index, 'demo-fjordvik.reviews.json'))).reviews).toEqual(old.reviews);
    expect((await json(path.join(index, 'meta.json'))).schemaVersion).toBe(STORE_SCHEMA_VERSION);
    // The unread source is still schema 3 on disk and loads as it did.
    expect(((await json(path.join(index, 'demo-statped.json'))) as { schemaVersion: number }).schemaVersion).toBe(3);
    const reopened = await Store.open(dir);
    const again = await reopened.shard('demo-fjordvik');
    expect([again.pages, await reopened.summaries('demo-fjordvik'), again.reviews]).toEqual([old.pages, old.summaries, old.reviews]);
    expect((await reopened.reviews()).length).toBe(Object.keys(old.reviews).length + 1);
  });
});
