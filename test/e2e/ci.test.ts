/**
 * `eti run --ci` and `eti gc` as a CI job runs them: the built CLI as a child process against the
 * embedded demo site on loopback. Needs `npm run build` first (`npm test` does it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { eti, jsonLines as lines } from '../helpers/cli-process.js';

describe('eti run --ci and eti gc on the demo', () => {
  let server: DemoServer;
  let ws: string;
  let summaryFile: string;

  beforeAll(async () => {
    server = await startDemoServer({ version: 'v1' });
    ws = await mkdtemp(path.join(os.tmpdir(), 'eti-ci-'));
    summaryFile = path.join(ws, 'step-summary.md');
    await prepareDemoWorkspace(ws, server.origin);
  });
  afterAll(async () => {
    await server.close();
  });

  it('exits 4 when a run created review items (a new workspace publishes nothing, not a failure), then 0 with no LLM calls on an unchanged recrawl', async () => {
    const env = { ETI_NOW: '2026-11-01T08:00:00.000Z', GITHUB_STEP_SUMMARY: summaryFile };
    const first = await eti(['run', '--ci', '-w', ws], env);
    // A new workspace, nothing approved yet: no bundle is written, and that is not a failure.
    expect(first.stderr).toBe('');
    expect(first.code).toBe(4);
    // Every stdout line is JSON and carries the same run id.
    const events = lines(first.stdout);
    const runIds = new Set(events.map((e) => e.run));
    expect(runIds.size).toBe(1);
    expect([...runIds][0]).toMatch(/^run-/);
    const result = events.find((e) => e.type === 'run-result')!;
    expect(result.outcome).toBe('pending-review');
    expect(result.bundle).toEqual({ pages: 0, isNew: false, skipped: 'nothing-approved' });
    expect(events.some((e) => e.type === 'publish-skipped' && e.reason === 'nothing-approved')).toBe(true);
    expect(existsSync(path.join(ws, 'output', 'LATEST'))).toBe(false);
    expect(result.summaries.llmCalls).toBeGreaterThan(0);
    expect(result.pending.created).toBeGreaterThan(0);

    // One page approved: the next run publishes it, and compiles no topic (a topic needs more members).
    const [item] = lines((await eti(['review', 'list', '--json', '-w', ws])).stdout)[0]!.items as { id: string }[];
    const approve = await eti(['review', 'approve', item!.id, '--as', 'Kari', '-w', ws], { ETI_NOW: '2026-11-01T09:00:00.000Z' });
    expect(approve.code, approve.stderr).toBe(0);
    const next = await eti(['run', '--ci', '-w', ws], { ...env, ETI_NOW: '2026-11-01T10:00:00.000Z' });
    expect(next.stderr).toBe('');
    const published = lines(next.stdout).find((e) => e.type === 'run-result')!;
    expect(published.bundle).toMatchObject({ pages: 1, isNew: true });
    expect(next.code).toBe(published.pending.created > 0 ? 4 : 0);

    const second = await eti(['run', '--ci', '-w', ws], { ...env, ETI_NOW: '2026-11-02T08:00:00.000Z' });
    expect(second.code).toBe(0);
    const again = lines(second.stdout).find((e) => e.type === 'run-result')!;
    expect(again.outcome).toBe('done');
    expect(again.summaries.llmCalls).toBe(0);
    expect(again.pending.created).toBe(0);
    expect(again.pending.total).toBe(result.pending.total - 1 + published.pending.created);
    expect(again.bundle.pages).toBe(1); // a new id: the page was confirmed on a new day (fetchedAt)

    const md = await readFile(summaryFile, 'utf8');
    expect(md.match(/^## eti run run-/gm)).toHaveLength(3);
    expect(md).toContain('this run created items for review');
    expect(md).toContain('| Bundle | none yet: nothing approved (`eti review list`) |');
    expect(md).toContain('| Summaries | 0 LLM calls');

    // The run report is kept in the store.
    const meta = JSON.parse(await readFile(path.join(ws, '.eti/index/meta.json'), 'utf8'));
    const runs = meta.runs.filter((r: { command: string }) => r.command === 'run');
    expect(runs.map((r: { outcome: string; exitCode: number }) => [r.outcome, r.exitCode])).toEqual([
      ['pending-review', 4],
      [published.outcome, next.code],
      ['done', 0],
    ]);
  });

  it('exits 5 with a JSON error line when the workspace is locked', async () => {
    const lock = path.join(ws, '.eti/lock');
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: os.hostname(), command: 'crawl', startedAt: '2026-11-02T09:00:00.000Z' }),
    );
    try {
      const r = await eti(['run', '--ci', '-w', ws]);
      expect(r.code).toBe(5);
      const [err] = lines(r.stdout);
      expect(err).toMatchObject({ type: 'error', exitCode: 5 });
      expect(err!.run).toMatch(/^run-/);
      expect(r.stderr).toMatch(/in use by "eti crawl"/);
    } finally {
      await rm(lock, { force: true });
    }
  });

  it('gc prunes old versions and orphan blobs but keeps what items and bundles refer to', async () => {
    // Approve everything and publish, then let the site change (v2) so pages get second versions.
    const list = lines((await eti(['review', 'list', '--json', '-w', ws])).stdout)[0]!.items as { id: string }[];
    const approve = await eti(['review', 'approve', ...list.map((i) => i.id), '--as', 'Kari', '--override', 'demo', '-w', ws], {
      ETI_NOW: '2026-11-02T10:00:00.000Z',
    });
    expect(approve.code, approve.stderr).toBe(0);
    server.setVersion('v2');
    const v2 = await eti(['run', '--ci', '-w', ws], { ETI_NOW: '2026-11-03T08:00:00.000Z' });
    expect([0, 3, 4]).toContain(v2.code);
    const bundleDir = path.join(ws, 'output', (await readFile(path.join(ws, 'output/LATEST'), 'utf8')).trim());
    // An orphan blob and a torn temp file, as a killed crawl could leave them.
    const blobs = path.join(ws, '.eti/blobs');
    await writeFile(path.join(blobs, (await readdir(blobs))[0]!, `${'0'.repeat(64)}.gz`), 'orphan');
    await writeFile(path.join(blobs, (await readdir(blobs))[0]!, 'x.gz.123.tmp'), 'torn');

    const dry = lines((await eti(['gc', '--keep', '1', '--dry-run', '--json', '-w', ws])).stdout)[0]!;
    expect(dry.blobsDeleted).toBeGreaterThanOrEqual(1);
    const gc = await eti(['gc', '--keep', '1', '--json', '-w', ws]);
    expect(gc.code, gc.stderr).toBe(0);
    const r = lines(gc.stdout)[0]!;
    expect(r.blobsDeleted).toBe(dry.blobsDeleted);
    expect(r.tempFilesDeleted).toBe(1);
    // Every older version here is still published (approved v1) or pending (v2): none may go.
    expect(r.versionsPruned).toBe(0);
    // Published content is untouched: the bundle still checks, and publishing again is a no-op.
    expect((await eti(['publish', '--check', bundleDir])).code).toBe(0);
    const pub = await eti(['publish', '-w', ws]);
    expect(pub.stdout).toMatch(/Nothing new/);
    // Every pending item can still be shown with its diff.
    const pendingItems = lines((await eti(['review', 'list', '--json', '-w', ws])).stdout)[0]!.items as { id: string }[];
    expect(pendingItems.length).toBeGreaterThan(0);
    for (const item of pendingItems.slice(0, 3)) {
      const show = await eti(['review', 'show', item.id, '-w', ws]);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stderr).not.toMatch(/missing/);
    }
    // A second gc finds nothing more.
    const again = lines((await eti(['gc', '--keep', '1', '--json', '-w', ws])).stdout)[0]!;
    expect([again.versionsPruned, again.summariesPruned, again.blobsDeleted]).toEqual([0, 0, 0]);
  });
});
