import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { twoBundles } from '../helpers/channel-bundle.js';
import { eti } from '../review/seed.js';

describe('eti site', () => {
  it('renders the latest bundle of a workspace, or the one --bundle names, into --out', async () => {
    const { outDir, v1, v2 } = await twoBundles();
    const ws = path.dirname(outDir);
    const work = await mkdtemp(path.join(ws, 'eti-site-ws-'));
    await rename(outDir, path.join(work, 'output'));
    const latest = await eti(['site', '-w', work]);
    expect(latest.code, latest.err).toBe(0);
    expect(latest.out).toMatch(new RegExp(`Wrote the preview site of ${path.basename(v2)} \\(\\d+ files, \\d+ KB\\) to `));
    expect(await readFile(path.join(work, 'output', 'site', 'index.html'), 'utf8')).toContain('<html lang="nb">');
    const out = path.join(work, 'gammel');
    const older = await eti(['site', '-w', work, '--bundle', path.basename(v1), '--out', out, '--json']);
    expect(older.code, older.err).toBe(0);
    expect(JSON.parse(older.out)).toMatchObject({ type: 'site-result', bundle: path.basename(v1), dir: out });
    // v1 still had the avlastning page.
    expect(await readFile(path.join(out, 'sider', 'avlastning.html'), 'utf8')).toContain('Lisens: CC BY 4.0. Kilde: Fjordvik kommune.');
  });

  it('says what is missing: no published bundle, a folder that is not a bundle, a foreign --out', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'eti-site-empty-'));
    const none = await eti(['site', '-w', empty]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/output\/LATEST: no published bundle/);
    const notBundle = await eti(['site', '-w', empty, '--bundle', empty]);
    expect(notBundle.code).toBe(2);
    expect(notBundle.err).toContain(`${empty}: not a bundle (no readable bundle.json)`);
    const { v2 } = await twoBundles();
    await writeFile(path.join(empty, 'notat.txt'), 'mitt');
    const foreign = await eti(['site', '--bundle', v2, '--out', empty]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain('not empty and not a site eti wrote');
    expect(await readFile(path.join(empty, 'notat.txt'), 'utf8')).toBe('mitt');
  });
});
