/**
 * `eti review` in-process on a real workspace (the demo site crawled and summarised): list
 * filters, edit (file and $EDITOR), bulk approval, show --html, and that an earlier edit
 * clears a grounding block at approval.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangeClass, ReviewItem } from '../../src/pipeline/types.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { eti, faithfulLines, seedDemoWorkspace } from './seed.js';

const T0 = '2026-11-01T08:00:00.000Z';
const LATER = '2026-11-04T08:00:00.000Z'; // three days on

async function items(ws: string, status = 'pending'): Promise<ReviewItem[]> {
  const r = await eti(['review', 'list', '--json', '--status', status, '-w', ws]);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { items: ReviewItem[] }).items;
}

async function setClasses(ws: string, classes: Record<string, ChangeClass>): Promise<void> {
  const store = await Store.open(storeDirOf(ws));
  for (const item of await store.reviews()) if (classes[item.id]) await store.putReview({ ...item, changeClass: classes[item.id]! });
  await store.flush();
}

/**
 * Plant a fabrication in an item's summary: a sentence with a rate the page does not give, citing
 * the spans of the summary's first claim (so its own spans do not support it). Returns the sentence
 * and its claim ref.
 */
async function makeUngrounded(ws: string, id: string): Promise<{ span: string; ref: string }> {
  const store = await Store.open(storeDirOf(ws));
  const item = (await store.reviews()).find((i) => i.id === id)!;
  const summary = (await store.summary(item.sourceId, item.summaryId!))!;
  const span = 'Fra 1. mars 2031 er satsen 99 999 kr per år.';
  const claims = summary.claims ?? [];
  const index = claims.filter((c) => c.field === 'summary').length;
  const planted = { field: 'summary', index, text: span, spans: claims[0]?.spans ?? [], verdict: 'unsupported' as const, findings: [] };
  await store.putSummary(item.sourceId, {
    ...summary,
    content: { ...summary.content, summary: `${summary.content.summary} ${span}` },
    claims: [...claims.filter((c) => c.field === 'summary'), planted, ...claims.filter((c) => c.field !== 'summary')],
  });
  await store.flush();
  return { span, ref: `summary.${index}` };
}

async function log(ws: string): Promise<{ action: string; itemId: string; by: string; note?: string }[]> {
  const r = await eti(['review', 'log', '--json', '-w', ws]);
  return (JSON.parse(r.out) as { entries: { action: string; itemId: string; by: string }[] }).entries;
}

describe('eti review (CLI) on the demo workspace', () => {
  let ws: string;
  let all: ReviewItem[];
  let withSummary: ReviewItem[];

  beforeAll(async () => {
    ws = await seedDemoWorkspace(T0);
    all = await items(ws);
    withSummary = all.filter((i) => i.summaryId);
    expect(withSummary.length).toBeGreaterThanOrEqual(6);
  }, 120_000); // crawls and summarises the demo site: seconds on a loaded machine, never a timing assertion

  it('lists with a class column and filters by class, age, source and kind', async () => {
    const [a, b, c] = withSummary;
    await setClasses(ws, { [a!.id]: 'cosmetic', [b!.id]: 'cosmetic', [c!.id]: 'wording' });

    const text = await eti(['review', 'list', '-w', ws]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(new RegExp(`^${a!.id}  pending\\s+cosmetic\\s+new\\s+0d  `, 'm'));
    expect(text.out).toMatch(/material/); // unclassified items count as material
    // material first, then wording, then cosmetic
    const order = text.out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[2]);
    expect(order.indexOf('wording')).toBeGreaterThan(order.lastIndexOf('material'));
    expect(order.indexOf('cosmetic')).toBeGreaterThan(order.lastIndexOf('wording'));

    const cosmetic = await eti(['review', 'list', '--json', '--class', 'cosmetic', '-w', ws]);
    expect((JSON.parse(cosmetic.out) as { items: ReviewItem[] }).items.map((i) => i.id).sort()).toEqual([a!.id, b!.id].sort());

    const old = await eti(['review', 'list', '--json', '--older-than', '2', '-w', ws], { ETI_NOW: LATER });
    expect((JSON.parse(old.out) as { items: ReviewItem[] }).items).toHaveLength(all.length);
    const none = await eti(['review', 'list', '--older-than', '5', '-w', ws], { ETI_NOW: LATER });
    expect(none.out).toMatch(/No pending review items/);

    const src = a!.sourceId;
    const bySource = await eti(['review', 'list', '--json', '--source', src, '--kind', 'new', '-w', ws]);
    const got = (JSON.parse(bySource.out) as { items: ReviewItem[] }).items;
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((i) => i.sourceId === src && i.kind === 'new')).toBe(true);

    const bad = await eti(['review', 'list', '--class', 'huge', '-w', ws]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^eti: --class: expected material, wording or cosmetic, got "huge"$/m);
    const badAge = await eti(['review', 'list', '--older-than', 'week', '-w', ws]);
    expect(badAge.code).toBe(2);
    expect(badAge.err).toMatch(/--older-than: expected a number of days/);
  });

  it('edits a summary from a file; an unchanged edit writes nothing; an earlier edit that removes the fabrication is verified and lets the item be approved', async () => {
    const item = withSummary[3]!;
    const { span, ref } = await makeUngrounded(ws, item.id);
    const refused = await eti(['review', 'approve', item.id, '--as', 'Kari', '-w', ws]);
    expect(refused.code).toBe(2);
    // The verifier names every rule the claim breaks: the invented figure, and its invented date.
    expect(refused.err).toContain(`${ref} "${span}" (date, number-missing)`);
    // A bare reason no longer lifts the block: an override names the claim it is for.
    const bare = await eti(['review', 'approve', item.id, '--override', 'sjekket', '--as', 'Kari', '-w', ws]);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain(`--override ${ref}="reason" per claim`);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-edit-test-'));
    // An editor's faithful rewrite (two sentences of the page itself): an edit is verified again, so it must be supported.
    const [l1, l2] = await faithfulLines(ws, item);
    const rewrite = `${l1}\n${l2}`;
    await writeFile(path.join(dir, 'ny.txt'), `${rewrite}\n`);
    const edit = await eti(['review', 'edit', item.id, '--summary-file', path.join(dir, 'ny.txt'), '--as', 'Kari', '-w', ws]);
    expect(edit.code, edit.err).toBe(0);
    expect(edit.out).toMatch(/^edited \S+ .*\(by Kari\); still pending/m);
    const again = await eti(['review', 'edit', item.id, '--summary-file', path.join(dir, 'ny.txt'), '--as', 'Kari', '-w', ws]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/unchanged; nothing was written/);
    const edits = (await log(ws)).filter((e) => e.itemId === item.id && e.action === 'edited');
    expect(edits).toEqual([expect.objectContaining({ by: 'Kari' })]);

    const stored = (await items(ws)).find((i) => i.id === item.id)!;
    expect(stored).toMatchObject({ status: 'pending', editedSummary: rewrite });

    const ok = await eti(['review', 'approve', item.id, '--as', 'Ola', '-w', ws]);
    expect(ok.code, ok.err).toBe(0);
    const approved = (await items(ws, 'approved')).find((i) => i.id === item.id)!;
    expect(approved).toMatchObject({ decidedBy: 'Ola', editedSummary: rewrite });
    expect(approved.note).toBeUndefined(); // no override was needed
  });

  it('edits in $EDITOR; an editor that changes nothing is reported; no editor is a usage error', async () => {
    const item = withSummary[4]!;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-editor-'));
    const script = path.join(dir, 'ed.mjs');
    await writeFile(
      script,
      "import { readFileSync, writeFileSync } from 'node:fs';\nconst f = process.argv[2];\nwriteFileSync(f, readFileSync(f, 'utf8').replace(/^/, 'Redigert i editor. '));\n",
    );
    const r = await eti(['review', 'edit', item.id.slice(0, 6), '--as', 'Kari', '-w', ws], { EDITOR: `${process.execPath} ${script}` });
    expect(r.code, r.err).toBe(0);
    const stored = (await items(ws)).find((i) => i.id === item.id)!;
    expect(stored.editedSummary).toMatch(/^Redigert i editor\. /);

    const noop = await eti(['review', 'edit', item.id, '--as', 'Kari', '-w', ws], { VISUAL: 'true', EDITOR: 'false' });
    expect(noop.code, noop.err).toBe(0);
    expect(noop.out).toMatch(/unchanged; nothing was written/);

    const failing = await eti(['review', 'edit', item.id, '--as', 'Kari', '-w', ws], { EDITOR: 'false' });
    expect(failing.code).toBe(5);
    expect(failing.err).toMatch(/the editor \("false"\) exited with code 1; nothing changed/);

    const none = await eti(['review', 'edit', item.id, '--as', 'Kari', '-w', ws]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/set \$VISUAL or \$EDITOR, or pass --summary-file/);
  });

  it('approves --all of a class, logs each, and leaves ungrounded items pending unless overridden', async () => {
    const cosmetic = (await items(ws)).filter((i) => i.changeClass === 'cosmetic');
    expect(cosmetic).toHaveLength(2);
    const [grounded, ungrounded] = cosmetic;
    const { ref } = await makeUngrounded(ws, ungrounded!.id);

    const bare = await eti(['review', 'approve', '--all', '--as', 'Kari', '-w', ws]);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/approve --all needs at least one filter/);
    const mixed = await eti(['review', 'approve', grounded!.id, '--all', '--class', 'cosmetic', '--as', 'Kari', '-w', ws]);
    expect(mixed.code).toBe(2);

    const r = await eti(['review', 'approve', '--all', '--class', 'cosmetic', '--as', 'Kari', '-w', ws]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`approved ${grounded!.id}`);
    expect(r.err).toContain(`warning: left pending ${ungrounded!.id}`);
    expect(r.out).toMatch(/Approved 1; left 1 pending/);
    let pending = await items(ws);
    expect(pending.some((i) => i.id === grounded!.id)).toBe(false);
    expect(pending.some((i) => i.id === ungrounded!.id)).toBe(true);

    // A bare reason is not an override of a claim: the item stays pending.
    const bareReason = await eti([
      'review',
      'approve',
      '--all',
      '--class',
      'cosmetic',
      '--source',
      ungrounded!.sourceId,
      '--override',
      'sjekket mot kilden',
      '--as',
      'Kari',
      '-w',
      ws,
    ]);
    expect(bareReason.err).toContain(`warning: left pending ${ungrounded!.id}`);
    const o = await eti([
      'review',
      'approve',
      '--all',
      '--class',
      'cosmetic',
      '--source',
      ungrounded!.sourceId,
      '--override',
      `${ungrounded!.id.slice(0, 6)}:${ref}=sjekket mot kilden`,
      '--as',
      'Kari',
      '-w',
      ws,
    ]);
    expect(o.code, o.err).toBe(0);
    pending = await items(ws);
    expect(pending.some((i) => i.changeClass === 'cosmetic')).toBe(false);
    const entries = (await log(ws)).filter((e) => e.action === 'approved' && (e.itemId === grounded!.id || e.itemId === ungrounded!.id));
    expect(entries.map((e) => e.itemId).sort()).toEqual([grounded!.id, ungrounded!.id].sort());
    expect(entries.find((e) => e.itemId === ungrounded!.id)!.note).toBe(`override ${ref}: sjekket mot kilden`);

    const nothing = await eti(['review', 'approve', '--all', '--class', 'cosmetic', '--as', 'Kari', '-w', ws]);
    expect(nothing.out).toMatch(/No pending items match/);
  });

  it('show --html writes the item page with a side-by-side diff; the text output names the class', async () => {
    const item = (await items(ws))[0]!;
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'eti-html-')), 'sak.html');
    const r = await eti(['review', 'show', item.id, '--html', file, '-w', ws]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(file)).toBe(true);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<table class="diff">');
    expect(html).toContain('<html lang="nb">');
    expect(html).not.toContain('<form'); // a static file has no forms
    const text = await eti(['review', 'show', item.id, '-w', ws]);
    expect(text.out).toMatch(/pending {2}new {2}material/);
  });

  it('rejects with the reviewer from --as after the subcommand (not taken by review --as)', async () => {
    const item = (await items(ws))[0]!;
    const r = await eti(['review', 'reject', item.id, '--reason', 'feil side', '--as', 'Per', '-w', ws]);
    expect(r.code, r.err).toBe(0);
    expect((await items(ws, 'rejected')).find((i) => i.id === item.id)).toMatchObject({ decidedBy: 'Per', note: 'feil side' });
    const help = await eti(['review']);
    expect(help.code).toBe(2);
    expect(help.err).toMatch(/--serve/);
  });
});
