/**
 * The audit history (.eti/audit-history.jsonl): appended atomically, bounded, one entry per
 * instant, torn lines skipped; the weekly trend; and through `eti audit`: whole-workspace audits
 * are kept, --source and --no-history audits are not, --trend prints the weeks, the HTML report
 * shows them, and a workspace without a store gets none.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { appendHistory, HISTORY_FILE, readHistory, weeklyTrend, type AuditHistoryEntry } from '../../src/pipeline/audit/history.js';
import { storeDirOf } from '../../src/store/store.js';
import { io, NOW, seedWorkspace } from '../helpers/audit-workspace.js';

const entry = (at: string, pending: number): AuditHistoryEntry => ({
  at,
  sources: 2,
  pages: 6,
  pending,
  pendingOverdue: 0,
  failing: 0,
  unreachable: 0,
  staleSources: 0,
  brokenLinks: 0,
  week: '2026-03-02',
  new: 0,
  changed: 0,
  removed: 0,
});

describe('audit history file', () => {
  it('appends, replaces an entry of the same instant, keeps the newest max, and leaves no temp file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-hist-'));
    expect(await readHistory(dir)).toEqual([]);
    await appendHistory(dir, entry('2026-03-02T12:00:00.000Z', 1), 3);
    await appendHistory(dir, entry('2026-03-01T12:00:00.000Z', 2), 3);
    await appendHistory(dir, entry('2026-03-02T12:00:00.000Z', 5), 3);
    expect((await readHistory(dir)).map((e) => [e.at.slice(0, 10), e.pending])).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 5],
    ]);
    await appendHistory(dir, entry('2026-03-03T12:00:00.000Z', 6), 3);
    await appendHistory(dir, entry('2026-03-04T12:00:00.000Z', 7), 3);
    expect((await readHistory(dir)).map((e) => e.pending)).toEqual([5, 6, 7]);
    expect(await readdir(dir)).toEqual([HISTORY_FILE]);
    const text = await readFile(path.join(dir, HISTORY_FILE), 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('skips a torn or foreign line instead of failing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-hist-'));
    await writeFile(path.join(dir, HISTORY_FILE), `${JSON.stringify(entry('2026-03-01T12:00:00.000Z', 2))}\n{"at":"2026-03-02T1\n[1,2]\n`);
    expect((await readHistory(dir)).map((e) => e.pending)).toEqual([2]);
    expect((await appendHistory(dir, entry('2026-03-03T12:00:00.000Z', 3))).map((e) => e.pending)).toEqual([2, 3]);
  });

  it('weeklyTrend keeps the last audit of each week, oldest week first', () => {
    const weeks = weeklyTrend([
      entry('2026-03-04T12:00:00.000Z', 4),
      entry('2026-02-24T12:00:00.000Z', 1),
      entry('2026-03-02T08:00:00.000Z', 3),
      entry('2026-02-23T08:00:00.000Z', 9),
    ]);
    expect(weeks.map((w) => [w.at.slice(0, 10), w.pending])).toEqual([
      ['2026-02-24', 1],
      ['2026-03-04', 4],
    ]);
    expect(weeklyTrend([entry('2026-03-04T12:00:00.000Z', 4), entry('2026-02-24T12:00:00.000Z', 1)], 1).map((w) => w.pending)).toEqual([4]);
  });
});

describe('eti audit and the history', () => {
  it('keeps whole-workspace audits, not --source or --no-history ones; --trend prints the weeks; the report shows them', async () => {
    const ws = await seedWorkspace();
    const storeDir = storeDirOf(ws);
    expect(await main(['audit', '--quiet'], io(ws, { ETI_NOW: '2026-02-20T12:00:00.000Z' }))).toBe(0);
    expect(await main(['audit', '--quiet', '--source', 'nav'], io(ws, { ETI_NOW: '2026-02-21T12:00:00.000Z' }))).toBe(0);
    expect(await main(['audit', '--quiet', '--no-history'], io(ws, { ETI_NOW: '2026-02-22T12:00:00.000Z' }))).toBe(0);
    const t = io(ws);
    expect(await main(['audit', '--trend'], t)).toBe(0);
    const kept = await readHistory(storeDir);
    expect(kept.map((e) => e.at)).toEqual(['2026-02-20T12:00:00.000Z', NOW]);
    expect(kept[1]).toMatchObject({
      sources: 2,
      pages: 6,
      pending: 2,
      pendingOverdue: 1,
      failing: 1,
      staleSources: 1,
      brokenLinks: 1,
      week: '2026-03-02',
      medianHoursToApproval: 24,
    });
    const lines = t.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WEEK\s+AUDITED\s+PENDING\s+OVERDUE/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['2026-02-16', '2026-02-20', '2'],
      ['2026-03-02', '2026-03-02', '2'],
    ]);
    const j = io(ws);
    expect(await main(['audit', '--trend', '--json'], j)).toBe(0);
    expect(JSON.parse(j.out)).toMatchObject({ type: 'audit-trend', weeks: [{ week: '2026-02-16' }, { week: '2026-03-02' }] });
    expect(await main(['audit', '--html', 'r.html', '--quiet'], io(ws))).toBe(0);
    const report = await readFile(path.join(ws, 'r.html'), 'utf8');
    expect(report).toContain('<table id="trend" class="sortable">');
    expect(report).toMatch(/<tr><td data-v="2026-02-16">uke 8<\/td><td data-v="2026-02-20T12:00:00.000Z">20.02.2026<\/td>/);
  });

  it('--trend with no history says so; an audit of a workspace without a store creates none', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-hist-ws-'));
    await writeFile(
      path.join(ws, 'sources.yaml'),
      "version: 1\ncontact: test@example.org\nsources:\n  - { id: a, name: A, owner: A, start_urls: ['https://a.example/'] }\n",
    );
    const t = io(ws);
    expect(await main(['audit', '--trend', '--no-history'], t)).toBe(0);
    expect(t.out).toContain('No audit history yet');
    expect(existsSync(path.join(storeDirOf(ws), HISTORY_FILE))).toBe(false);
  });
});
