/**
 * The review page's change note: for a changed page it shows the proposed note (the summary's
 * change note) and the proposed weight, and an approval records what the editor sent. Demo v1
 * approved, v2 crawled and summarised, in-process; the page over loopback HTTP.
 */
import http from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { startReviewServer } from '../../src/review/server.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { eti } from './seed.js';

function post(url: string, form: Record<string, string>, origin: string): Promise<number> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function items(ws: string): Promise<ReviewItem[]> {
  return (await Store.open(storeDirOf(ws))).reviews();
}

describe('change notes on the review page', () => {
  let demo: DemoServer;
  let ws: string;

  beforeAll(async () => {
    demo = await startDemoServer({ version: 'v1', preferredPort: 0 });
    ws = await mkdtemp(path.join(os.tmpdir(), 'eti-note-web-'));
    await prepareDemoWorkspace(ws, demo.origin);
    for (const cmd of ['crawl', 'summarize'])
      expect((await eti([cmd, '-q', '-w', ws], { ETI_NOW: '2026-11-01T08:00:00.000Z' })).code).toBe(0);
    expect((await eti(['review', 'approve', '--all', '--kind', 'new', '--as', 'Kari', '-q', '-w', ws])).code).toBe(0);
    demo.setVersion('v2');
    for (const cmd of ['crawl', 'summarize'])
      expect((await eti([cmd, '-q', '-w', ws], { ETI_NOW: '2026-11-02T08:00:00.000Z' })).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('proposes the note and weight, and records what the editor confirmed', async () => {
    const all = await items(ws);
    const rate = all.find((i) => i.status === 'pending' && i.kind === 'changed' && i.url.endsWith('/nav/satser/grunn-og-hjelpestonad/'))!;
    const fresh = all.find((i) => i.status === 'pending' && i.kind === 'new')!;
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const page = await (await fetch(`${s.url}item/${rate.id}`)).text();
      const proposed = /name="change_note" value="([^"]*)"/.exec(page)?.[1];
      expect(proposed).toBeTruthy(); // the summary's change note
      expect(page).not.toMatch(/name="minor" value="1" checked/); // material: major proposed
      expect(await (await fetch(`${s.url}item/${fresh.id}`)).text()).not.toContain('name="change_note"'); // only for changes
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      const origin = s.url.replace(/\/$/, '');
      // A note the page does not support is an edit of the change summary that fails verification: refused, nothing decided.
      const invented = await post(
        `${s.url}item/${rate.id}/approve`,
        { csrf, reviewer: 'Kari', action: 'approve', change_note: 'Fra 1. mars 2031 er satsen 99 999 kroner.' },
        origin,
      );
      expect(invented).toBe(409);
      expect((await items(ws)).find((i) => i.id === rate.id)).toMatchObject({ status: 'pending' });
      expect((await items(ws)).find((i) => i.id === rate.id)?.changeNote).toBeUndefined();
      const status = await post(
        `${s.url}item/${rate.id}/approve`,
        { csrf, reviewer: 'Kari', action: 'approve', change_note: 'Satsene er økt fra 1. januar.', minor: '1' },
        origin,
      );
      expect(status).toBe(303);
      const decided = (await items(ws)).find((i) => i.id === rate.id)!;
      expect(decided).toMatchObject({ status: 'approved', changeNote: 'Satsene er økt fra 1. januar.', isMajor: false });
    } finally {
      await s.close();
    }
  });
});
