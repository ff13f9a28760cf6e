import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFile, jsonPieces } from '../../src/store/json-file.js';

const shardLike = () => ({
  schemaVersion: 2,
  sourceId: 'nav',
  skipped: undefined,
  pages: {
    'https://www.nav.no/b': {
      url: 'https://www.nav.no/b',
      versions: [{ title: 'Pleiepenger – satser «2026»', dates: {} }],
      removedAt: undefined,
    },
    'https://www.nav.no/a': { url: 'https://www.nav.no/a', versions: [], at: new Date('2026-01-02T03:04:05.000Z') },
    '10': { url: 'numeric key first, as JSON.stringify orders it' },
  },
  summaries: {},
  reviews: { x: { id: 'x', tags: ['a', 'b'], nested: { deep: { deeper: 'æøå ÆØÅ' } }, fn: () => 1 } },
  list: [1, { a: undefined }, null],
});

describe('JsonFile', () => {
  it('writes pieces whose concatenation is exactly JSON.stringify, at any depth', () => {
    const data = shardLike();
    for (const depth of [0, 1, 2, 3, 5]) expect(jsonPieces(data, depth).join('')).toBe(JSON.stringify(data));
    for (const v of [null, 0, 'x', [], {}, { a: {} }]) expect(jsonPieces(v).join('')).toBe(JSON.stringify(v));
    // Taken apart entry by entry: no piece holds the whole pages map.
    expect(jsonPieces(data).length).toBeGreaterThan(8);
  });

  it('writes atomically through a temp file, reads back what it wrote, and snapshots the data when asked to write', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-jsonfile-'));
    const file = path.join(dir, 'nav.json');
    const db = new JsonFile<ReturnType<typeof shardLike>>(file);
    expect(await db.read()).toBeNull();
    const data = shardLike();
    const expected = JSON.stringify(data);
    const first = db.write(data);
    // Changed right after the call: the write in flight keeps what it was given.
    data.sourceId = 'changed';
    const second = db.write(data);
    await first;
    expect(await readFile(file, 'utf8')).toBe(expected);
    await second;
    expect(await readFile(file, 'utf8')).toBe(expected.replace('"nav"', '"changed"'));
    expect(await db.read()).toEqual(JSON.parse(expected.replace('"nav"', '"changed"')));
    expect(await readdir(dir)).toEqual(['nav.json']);
  });

  it('refuses data it cannot serialise, keeping the old file and leaving no temp file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-jsonfile-'));
    const file = path.join(dir, 'nav.json');
    const db = new JsonFile<Record<string, unknown>>(file);
    await db.write({ a: 1 });
    const cyclic: Record<string, unknown> = { a: {} };
    (cyclic.a as Record<string, unknown>).self = cyclic;
    expect(() => db.write({ pages: { x: cyclic } })).toThrow(/circular/i);
    await db.write({ a: 2 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 2 });
    expect(await readdir(dir)).toEqual(['nav.json']);
  });
});
