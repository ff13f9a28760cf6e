import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceDir, tempNameFor, writeFileAtomic } from '../src/atomic-file.js';

const tmpDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'eti-atomic-'));

describe('atomic writes', () => {
  it('writes a file in a folder it makes, replacing the old content, and leaves no temporary file', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'a', 'b.json');
    await writeFileAtomic(file, 'one\n');
    await writeFileAtomic(file, 'two\n');
    expect(await readFile(file, 'utf8')).toBe('two\n');
    expect(await readdir(path.join(dir, 'a'))).toEqual(['b.json']);
  });

  it('a failed write leaves the old file as it was and removes its temporary file', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'target');
    await mkdir(file); // a folder: the rename over it fails
    await writeFile(path.join(file, 'inside'), 'kept');
    await expect(writeFileAtomic(file, 'new')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['target']);
    expect(await readFile(path.join(file, 'inside'), 'utf8')).toBe('kept');
  });

  it('temporary names are hidden, beside the target, and differ between calls', () => {
    const a = tempNameFor('/x/y/LATEST');
    expect(path.dirname(a)).toBe('/x/y');
    expect(path.basename(a)).toMatch(new RegExp(`^\\.LATEST\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(tempNameFor('/x/y/LATEST')).not.toBe(a);
  });

  it('replaceDir puts the staged folder in place of the old one (or of none) and deletes the old one', async () => {
    const dir = await tmpDir();
    const site = path.join(dir, 'site');
    const staged = async (text: string): Promise<string> => {
      const s = await mkdtemp(path.join(dir, 'staged-'));
      await writeFile(path.join(s, 'index.html'), text);
      return s;
    };
    await replaceDir(await staged('v1'), site);
    expect(await readFile(path.join(site, 'index.html'), 'utf8')).toBe('v1');
    await writeFile(path.join(site, 'stale.html'), 'old');
    await replaceDir(await staged('v2'), site);
    expect((await readdir(site)).sort()).toEqual(['index.html']);
    expect(await readFile(path.join(site, 'index.html'), 'utf8')).toBe('v2');
    expect(await readdir(dir)).toEqual(['site']);
  });
});
