/**
 * Compiled topics in the same review page as source pages, over real loopback HTTP, on the demo
 * workspace (its sources.yaml has three topics): pending topic pages are listed in the queue,
 * a topic page shows each claim beside its member-page spans, an edit is verified again (a
 * fabricated sentence is refused without a reason), approval is recorded, and `eti publish`
 * and `eti site` carry the approved topics.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/pipeline/review/review.js';
import { readTopicFile, topicsDirOf } from '../../src/pipeline/topics/index.js';
import { startReviewServer } from '../../src/review/server.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { eti, seedDemoWorkspace } from './seed.js';

function post(url: string, origin: string, form: Record<string, string>): Promise<{ status: number; location?: string; body: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const get = async (url: string): Promise<string> => (await fetch(url)).text();
const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

describe('topics on the review page', () => {
  let ws: string;

  beforeAll(async () => {
    ws = await seedDemoWorkspace();
    // An editor approves the grounded pages (as the demo does); the topics compile on the next summarize.
    const store = await Store.open(storeDirOf(ws));
    for (const item of (await store.reviews()).filter((i) => i.status === 'pending')) {
      const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
      if (summary?.grounding.isGrounded)
        await store.putReview(decide(item, { status: 'approved', by: 'Kari', at: '2026-11-01T08:00:00.000Z' }, summary));
    }
    await store.flush();
    const r = await eti(['summarize', '-w', ws]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Topics: 3 LLM calls, 0 unchanged, 3 compiled for review');
    // The same queue on the command line.
    const list = await eti(['review', 'list', '-w', ws]);
    expect(list.out).toContain(
      'topic avlastning (parents) pending material: Avlastning og pleiepenger, from 2 pages; eti topics show avlastning',
    );
  }, 180_000); // crawls and summarises the demo site: seconds on a loaded machine, never a timing assertion

  it('lists pending topic pages in the queue; a topic page shows claims beside spans; edits are verified again; approval is published', async () => {
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const origin = s.url.replace(/\/$/, '');
      const queue = await get(s.url);
      expect(queue).toContain('Temasider til vurdering (3)');
      const href = /href="(\/topic\/avlastning\/[0-9a-f]+)"/.exec(queue)![1]!;
      const page = await get(`${origin}${href}`);
      expect(page).toContain('Temaside: Avlastning og pleiepenger');
      expect(page).toContain('Kildesider');
      expect(page).toContain('Fjordvik kommune (demo)');
      expect(page).toContain('NAV (demo)');
      expect(page).toContain('blockquote class="span"');
      const csrf = csrfOf(page);

      // A fabricated sentence added by an editor is verified again: approval without a reason is refused.
      const fabricated = 'Avlastning koster 5 000 kroner i måneden.';
      const summary = /<textarea id="field-summary" name="field:summary">([^<]*)<\/textarea>/.exec(page)![1]!;
      const refused = await post(`${origin}${href}/approve`, origin, {
        csrf,
        reviewer: 'Kari',
        'field:summary': `${summary} ${fabricated}`,
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toContain('Ikke lagret');
      expect(refused.body).toContain('«Avlastning koster 5 000 kroner i måneden.»');
      const id = href.split('/').at(-1)!;
      const stored = () =>
        readTopicFile(topicsDirOf(storeDirOf(ws)), 'avlastning').then((f) => f.compilations.find((c) => c.id.startsWith(id))!);
      expect((await stored()).status).toBe('pending');

      // Approved as generated: every claim is supported by its member spans.
      const ok = await post(`${origin}${href}/approve`, origin, {
        csrf,
        reviewer: 'Kari',
        'field:summary': summary.replace(/&amp;/g, '&'),
      });
      expect(ok.status).toBe(303);
      expect(ok.location).toBe(`${href}?done=approved`);
      const approved = await stored();
      expect(approved).toMatchObject({ status: 'approved', decidedBy: 'Kari' });
      expect(approved.approval).toBeDefined();
      expect(await get(s.url)).toContain('Temasider til vurdering (2)');
    } finally {
      await s.close();
    }
    const pub = await eti(['publish', '-w', ws]);
    expect(pub.code).toBe(0);
    expect(pub.out).toContain('and 1 topic page');
    const out = path.join(ws, 'output');
    const id = (await readFile(path.join(out, 'LATEST'), 'utf8')).trim();
    const bundle = JSON.parse(await readFile(path.join(out, id, 'bundle.json'), 'utf8'));
    expect(bundle.topics.map((t: { slug: string }) => t.slug)).toEqual(['avlastning-parents']);
    expect(new Set(bundle.topics[0].members.map((m: { sourceId: string }) => m.sourceId))).toEqual(new Set(['demo-fjordvik', 'demo-nav']));
    expect((await eti(['publish', '--check', path.join(out, id), '-w', ws])).code).toBe(0);
    expect((await eti(['site', '-w', ws, '--out', path.join(ws, 'site')])).code).toBe(0);
    const html = await readFile(path.join(ws, 'site', 'temaside', 'avlastning-parents.html'), 'utf8');
    expect(html).toContain('<h2>Kilder</h2>');
  }, 60_000);
});
