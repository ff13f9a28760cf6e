/**
 * `eti run` and `eti publish` never wipe or halve a published bundle by accident: the embedded demo
 * site on loopback, crawled and summarised in-process with the offline provider, real workspaces
 * in temp folders. A second workspace publishing into the first one's output folder stands in for
 * a store restored from nothing (a nightly CI whose cache was evicted).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { sha256 } from '../../src/hash.js';
import { jsonLines } from '../helpers/cli-process.js';
import { eti } from '../review/seed.js';

const json = jsonLines;

/** Every file under `dir` with the hash of its bytes: "left untouched" is this staying equal. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = sha256(await readFile(file));
  }
  return out;
}

describe('the publish guard, end to end', () => {
  let server: DemoServer;
  let ws1: string;
  let out1: string;
  /** LATEST as the CLI shows it: relative to the working folder (the tests' is the temp folder). */
  const latestShown = (): string => path.relative(os.tmpdir(), path.join(out1, 'LATEST'));
  const newWorkspace = async (): Promise<string> => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-guard-'));
    await prepareDemoWorkspace(ws, server.origin);
    return ws;
  };

  beforeAll(async () => {
    server = await startDemoServer({ version: 'v1', preferredPort: 0 });
    ws1 = await newWorkspace();
    out1 = path.join(ws1, 'output');
  });
  afterAll(async () => {
    await server.close();
  });

  it('a first run with nothing approved writes no bundle and is not a failure: exit 4, the report says so', async () => {
    const summary = path.join(ws1, 'step-summary.md');
    const r = await eti(['run', '--ci', '-w', ws1], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, r.err).toBe(4);
    expect(r.err).toBe('');
    expect(existsSync(out1)).toBe(false);
    const lines = json(r.out);
    expect(lines.find((l) => l.type === 'publish-refused')).toBeUndefined();
    expect(lines.find((l) => l.type === 'publish-skipped')).toMatchObject({ reason: 'nothing-approved' });
    const result = lines.find((l) => l.type === 'run-result')!;
    expect(result).toMatchObject({
      outcome: 'pending-review',
      exitCode: 4,
      bundle: { pages: 0, isNew: false, skipped: 'nothing-approved' },
    });
    expect(result.bundle.id).toBeUndefined();
    expect(result.pending.created).toBeGreaterThan(0);
    expect(await readFile(summary, 'utf8')).toContain('| Bundle | none yet: nothing approved (`eti review list`) |');
  });

  it('eti publish asked for by hand with nothing approved says so: exit 1, one line why, nothing written', async () => {
    const r = await eti(['publish', '-w', ws1]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe(
      `eti: nothing to publish: nothing approved yet in ${ws1} (no pages, no topic pages); no bundle written, ${latestShown()} left as it was`,
    );
    expect(r.err).toMatch(/\nhint: Approve items first/);
    expect(existsSync(out1)).toBe(false);
  });

  it('a store with nothing approved leaves the published bundle, its feeds and LATEST byte for byte', async () => {
    const approve = await eti(['review', 'approve', '--all', '--kind', 'new', '--as', 'Kari', '-w', ws1]);
    expect(approve.code, approve.err).toBe(0);
    const first = await eti(['run', '--ci', '-w', ws1]);
    // Exit 4: the topic pages compiled from the newly approved pages wait for review.
    expect(first.code, first.err).toBe(4);
    const published = json(first.out).find((l) => l.type === 'run-result')!.bundle;
    expect(published.isNew).toBe(true);
    expect(published.pages).toBeGreaterThan(4);
    const before = await tree(out1);
    expect(Object.keys(before)).toContain(path.join(published.id, 'feeds', 'all.json'));

    const ws2 = await newWorkspace();
    const r = await eti(['run', '--ci', '-w', ws2, '--out', out1]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`nothing approved yet .*; no bundle written, ${latestShown()} still names ${published.id}\\n$`));
    expect(json(r.out).find((l) => l.type === 'run-result')!.bundle).toEqual({
      id: published.id,
      pages: published.pages,
      isNew: false,
      refused: 'nothing-approved',
    });
    expect(await tree(out1)).toEqual(before);

    // Approving one page is not enough either: the bundle would lose all the others.
    const one = json((await eti(['review', 'list', '--json', '-w', ws2])).out)[0]!.items[0].id as string;
    expect((await eti(['review', 'approve', one, '--as', 'Ola', '-w', ws2])).code).toBe(0);
    const shrink = await eti(['publish', '-w', ws2, '--out', out1]);
    expect(shrink.code).toBe(1);
    expect(shrink.err).toMatch(
      new RegExp(
        `^eti: not published: the new bundle would drop ${published.pages - 1} of the ${published.pages} pages of ${published.id} without an approved removal`,
      ),
    );
    expect(shrink.err).toMatch(/\nhint: .*--allow-shrink/);
    expect(await tree(out1)).toEqual(before);

    // On purpose, it is published.
    const allowed = await eti(['publish', '-w', ws2, '--out', out1, '--allow-shrink']);
    expect(allowed.code, allowed.err).toBe(0);
    const latest = (await readFile(path.join(out1, 'LATEST'), 'utf8')).trim();
    expect(latest).not.toBe(published.id);
    expect(JSON.parse(await readFile(path.join(out1, latest, 'bundle.json'), 'utf8')).pages).toHaveLength(1);
  });

  it('--allow-empty publishes an empty bundle on purpose', async () => {
    const ws3 = await newWorkspace();
    const out = path.join(ws3, 'elsewhere');
    expect((await eti(['publish', '-w', ws3, '--out', out])).code).toBe(1);
    expect(existsSync(out)).toBe(false);
    const r = await eti(['publish', '-w', ws3, '--out', out, '--allow-empty']);
    expect(r.code, r.err).toBe(0);
    const latest = (await readFile(path.join(out, 'LATEST'), 'utf8')).trim();
    expect(JSON.parse(await readFile(path.join(out, latest, 'bundle.json'), 'utf8')).pages).toEqual([]);
  });
});
