/**
 * The review web server over real loopback HTTP (node:http client, so Host and Origin can be
 * set as an attacker would): access rules, CSRF, escaping, and that writes land in the store
 * and the log like the CLI's.
 */
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { editSummary } from '../../src/review/actions.js';
import { classOf } from '../../src/review/items.js';
import { startReviewServer } from '../../src/review/server.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { faithfulLines, seedDemoWorkspace } from './seed.js';

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<Res> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: { ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

async function storeItems(ws: string): Promise<ReviewItem[]> {
  return (await Store.open(storeDirOf(ws))).reviews();
}

describe('eti review --serve (HTTP)', () => {
  let ws: string;
  let items: ReviewItem[];

  beforeAll(async () => {
    ws = await seedDemoWorkspace();
    items = (await storeItems(ws)).filter((i) => i.summaryId).sort((a, b) => (a.id < b.id ? -1 : 1));
  }, 120_000); // crawls and summarises the demo site: seconds on a loaded machine, never a timing assertion

  it('serves the queue and an item with security headers; rejects a foreign Host', async () => {
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const q = await request(s.url);
      expect(q.status).toBe(200);
      expect(q.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'nonce-[^']+'/);
      // Scripts: only the page's own, by this response's nonce (the name-remembering enhancement).
      expect(q.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
      expect(q.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(q.headers['x-content-type-options']).toBe('nosniff');
      expect(q.body).toContain(`/item/${items[0]!.id}`);
      expect(q.body).toContain('<html lang="nb">');

      const one = await request(`${s.url}item/${items[0]!.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toContain('<table class="diff">');
      expect(one.body).toContain('value="Kari"');

      const rebound = await request(s.url, { headers: { host: 'evil.example:80' } });
      expect(rebound.status).toBe(403);
      expect((await request(`${s.url}item/finnesikke`)).status).toBe(404);
      // A malformed escape in the path is a bad request; a stray cookie from another app is ignored.
      expect((await request(`${s.url}item/%E0`)).status).toBe(400);
      expect((await request(s.url, { headers: { cookie: 'other=%E0%' } })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('pages the queue, keeping the filters in the page links', async () => {
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari', pageSize: 5 });
    try {
      const pending = (await storeItems(ws)).filter((i) => i.status === 'pending');
      expect(pending.length).toBeGreaterThan(10);
      const rowsOf = (html: string): string[] => [...html.matchAll(/<a href="\/item\/([0-9a-f]+)">/g)].map((m) => m[1]!);
      const seen: string[] = [];
      const pages = Math.ceil(pending.length / 5);
      for (let n = 1; n <= pages; n++) {
        const r = await request(`${s.url}?page=${n}`);
        expect(r.status).toBe(200);
        const rows = rowsOf(r.body);
        expect(rows).toHaveLength(n < pages ? 5 : pending.length - 5 * (pages - 1));
        expect(r.body).toContain(`av ${pending.length} (side ${n} av ${pages})`);
        expect(r.body.includes('rel="next"')).toBe(n < pages);
        expect(r.body.includes('rel="prev"')).toBe(n > 1);
        seen.push(...rows);
      }
      // Every pending item once, in queue order across the pages.
      expect(new Set(seen).size).toBe(pending.length);
      const first = await request(s.url);
      expect(rowsOf(first.body)).toEqual(seen.slice(0, 5));
      // Filters ride along in the links; a page past the end says so and links back.
      expect(pending.every((i) => classOf(i) === 'material')).toBe(true); // the demo's first run: all new pages
      const filtered = await request(`${s.url}?class=material&kind=new`);
      expect(rowsOf(filtered.body)).toEqual(seen.slice(0, 5));
      expect(filtered.body).toContain('href="/?class=material&amp;kind=new&amp;page=2"');
      const past = await request(`${s.url}?page=99`);
      expect(past.body).toContain('Side 99 finnes ikke');
      expect(past.body).toContain(`page=${pages}`);
      expect((await request(`${s.url}?page=x`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('shows what another process wrote to the store since the last request', async () => {
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const target = (await storeItems(ws)).find((i) => i.status === 'pending' && i.summaryId)!;
      expect((await request(`${s.url}item/${target.id}`)).body).toContain('venter');
      // The CLI (another Store, as `eti review edit` would) changes the item between two page views.
      const store = await Store.open(storeDirOf(ws));
      await store.putReview({ ...target, editedSummary: 'Skrevet om i et annet vindu.' });
      await store.flush();
      const after = await request(`${s.url}item/${target.id}`);
      expect(after.body).toContain('Skrevet om i et annet vindu.');
      // And back, so the other tests see the seed as it was.
      const again = await Store.open(storeDirOf(ws));
      await again.putReview(target);
      await again.flush();
      expect((await request(`${s.url}item/${target.id}`)).body).not.toContain('Skrevet om i et annet vindu.');
    } finally {
      await s.close();
    }
  });

  it('refuses POSTs without the CSRF token or from another origin (403), and nothing changes', async () => {
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const id = items[0]!.id;
      const page = await request(`${s.url}item/${id}`);
      const csrf = csrfOf(page.body);
      const origin = s.url.replace(/\/$/, '');
      const noToken = await request(`${s.url}item/${id}/approve`, { headers: { origin }, form: { reviewer: 'Mallory' } });
      expect(noToken.status).toBe(403);
      const wrongToken = await request(`${s.url}item/${id}/approve`, {
        headers: { origin },
        form: { csrf: 'x'.repeat(csrf.length), reviewer: 'Mallory' },
      });
      expect(wrongToken.status).toBe(403);
      const foreign = await request(`${s.url}item/${id}/approve`, {
        headers: { origin: 'http://evil.example' },
        form: { csrf, reviewer: 'Mallory' },
      });
      expect(foreign.status).toBe(403);
      const noOrigin = await request(`${s.url}item/${id}/approve`, { form: { csrf, reviewer: 'Mallory' } });
      expect(noOrigin.status).toBe(403);
      expect((await storeItems(ws)).find((i) => i.id === id)!.status).toBe('pending');
    } finally {
      await s.close();
    }
  });

  it('edits, approves and rejects through the same actions as the CLI, logging the reviewer from the form', async () => {
    const s = await startReviewServer({ workspace: ws, reviewer: 'Standard', clock: () => new Date('2026-11-02T10:00:00.000Z') });
    try {
      const origin = s.url.replace(/\/$/, '');
      const [a, b] = items;
      // An editor's faithful rewrite (two sentences of the page itself): an edit is verified again, so it must be supported.
      const [l1, l2] = await faithfulLines(ws, a!);
      const csrf = csrfOf((await request(`${s.url}item/${a!.id}`)).body);
      const edit = await request(`${s.url}item/${a!.id}/edit`, {
        headers: { origin },
        form: { csrf, reviewer: 'Kari', summary: `${l1}\r\n${l2}` },
      });
      expect(edit.status).toBe(303);
      expect(edit.headers.location).toBe(`/item/${a!.id}?done=edited`);
      expect((await storeItems(ws)).find((i) => i.id === a!.id)).toMatchObject({ status: 'pending', editedSummary: `${l1}\n${l2}` });
      const same = await request(`${s.url}item/${a!.id}/edit`, {
        headers: { origin },
        form: { csrf, reviewer: 'Kari', summary: `${l1}\n${l2}\n` },
      });
      expect(same.headers.location).toBe(`/item/${a!.id}?done=unchanged`);

      const approve = await request(`${s.url}item/${a!.id}/approve`, {
        headers: { origin },
        form: { csrf, reviewer: 'Kari', summary: `${l1}\n${l2}`, note: 'sjekket' },
      });
      expect(approve.status).toBe(303);
      const after = await request(`${s.url}${approve.headers.location!.slice(1)}`);
      expect(after.body).toContain('Godkjent.');
      expect((await storeItems(ws)).find((i) => i.id === a!.id)).toMatchObject({
        status: 'approved',
        decidedBy: 'Kari',
        note: 'sjekket',
        editedSummary: `${l1}\n${l2}`,
      });

      const noReason = await request(`${s.url}item/${b!.id}/reject`, { headers: { origin }, form: { csrf, reviewer: 'Ola' } });
      expect(noReason.status).toBe(400);
      const reject = await request(`${s.url}item/${b!.id}/reject`, { headers: { origin }, form: { csrf, reviewer: '', reason: 'feil' } });
      expect(reject.status).toBe(303);
      // Deciding it again is refused, in Norwegian, and changes nothing.
      const again = await request(`${s.url}item/${a!.id}/reject`, {
        headers: { origin },
        form: { csrf, reviewer: 'Ola', reason: 'likevel' },
      });
      expect(again.status).toBe(409);
      expect(again.body).toContain('Ikke lagret: Saken er allerede godkjent (av Kari');
      expect(again.body).not.toContain('only pending items');
      expect((await storeItems(ws)).find((i) => i.id === a!.id)).toMatchObject({ status: 'approved', decidedBy: 'Kari' });

      const log = (await (await Store.open(storeDirOf(ws))).log()).map((e) => [e.action, e.itemId, e.by, e.at]);
      expect(log).toEqual(
        expect.arrayContaining([
          ['edited', a!.id, 'Kari', '2026-11-02T10:00:00.000Z'],
          ['approved', a!.id, 'Kari', '2026-11-02T10:00:00.000Z'],
          ['rejected', b!.id, 'Standard', '2026-11-02T10:00:00.000Z'],
        ]),
      );
      const logPage = await request(`${s.url}log`);
      expect(logPage.body.indexOf('avvist')).toBeLessThan(logPage.body.indexOf('godkjent')); // most recent first
    } finally {
      await s.close();
    }
  });

  it('keeps an ungrounded summary pending with the reason shown and the draft kept; grounding spans are marked', async () => {
    const item = items[2]!;
    const store = await Store.open(storeDirOf(ws));
    const original = (await store.summary(item.sourceId, item.summaryId!))!;
    // A planted fabrication citing the spans of the summary's first claim, which do not support it.
    const span = 'Fra 1. mars 2031 er satsen 99 999 kr per år.';
    const claims = original.claims ?? [];
    const index = claims.filter((c) => c.field === 'summary').length;
    const summary = { ...original, content: { ...original.content, summary: `${original.content.summary} ${span}` } };
    await store.putSummary(item.sourceId, {
      ...summary,
      grounding: { isGrounded: false, checked: 1, issues: [{ kind: 'claim', span, where: 'summary' }] },
      claims: [...claims, { field: 'summary', index, text: span, spans: claims[0]!.spans, verdict: 'unsupported', findings: [] }],
    });
    await store.flush();
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const page = await request(`${s.url}item/${item.id}`);
      const doc = new JSDOM(page.body).window.document;
      expect(doc.querySelector('.summary-text mark.ungrounded')!.textContent).toBe(span);
      // A reason field per unsupported claim, and the banner describes the text shown.
      expect(doc.querySelector(`input[name="override:summary.${index}"]`)).not.toBeNull();
      expect(doc.querySelector('.warning')!.textContent).toMatch(
        /^Advarsel: 1 av \d+ påstander i teksten som vises er ikke bekreftet av kilden\./,
      );
      expect(page.body).not.toMatch(/class="ok">Kontroll/);
      const origin = s.url.replace(/\/$/, '');
      const r = await request(`${s.url}item/${item.id}/approve`, {
        headers: { origin },
        form: { csrf: csrfOf(page.body), reviewer: 'Kari', summary: summary.content.summary },
      });
      expect(r.status).toBe(409);
      const back = new JSDOM(r.body).window.document;
      // The refusal in the editors' language, naming the unsupported span.
      expect(back.querySelector('.msg-error')!.textContent).toContain(`Sammendraget sier «${span}», som siden ikke støtter.`);
      expect(r.body).not.toContain('does not support');
      expect(back.querySelector('textarea')!.value).toBe(summary.content.summary);
      expect((back.querySelector('input[name=reviewer]') as HTMLInputElement).value).toBe('Kari');
      expect((await storeItems(ws)).find((i) => i.id === item.id)!.status).toBe('pending');
    } finally {
      await s.close();
    }
  });

  it('renders a summary holding <script> as inert text', async () => {
    const item = items[3]!;
    const store = await Store.open(storeDirOf(ws));
    await editSummary(store, item.id, 'Før <script>alert("x")</script><img src=x onerror=alert(1)> etter', {
      by: 'Test',
      at: '2026-11-01T09:00:00.000Z',
    });
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const page = await request(`${s.url}item/${item.id}`);
      // The one script element is the page's own, carrying this response's nonce; the summary's is text.
      const nonce = /script-src 'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))![1]!;
      expect(page.body.match(/<script/gi)).toHaveLength(1);
      expect(page.body).not.toMatch(/<img/i);
      const doc = new JSDOM(page.body).window.document;
      expect(doc.querySelectorAll('img')).toHaveLength(0);
      expect([...doc.querySelectorAll('script')].map((x) => [x.getAttribute('nonce'), x.textContent!.includes('alert')])).toEqual([
        [nonce, false],
      ]);
      expect(doc.querySelector('textarea')!.value).toBe('Før <script>alert("x")</script><img src=x onerror=alert(1)> etter');
      expect(doc.querySelector('.summary-text')!.textContent).toContain('<script>alert("x")</script>');
    } finally {
      await s.close();
    }
  });

  it('needs the token (query once, then cookie) when one is set, and generates one off loopback', async () => {
    const s = await startReviewServer({ workspace: ws, token: 'a-long-enough-token-123' });
    try {
      expect(s.url).toMatch(/\?token=a-long-enough-token-123$/);
      const bare = s.url.replace(/\?.*$/, '');
      expect((await request(bare)).status).toBe(403);
      expect((await request(`${bare}?token=wrong`)).status).toBe(403);
      const ok = await request(s.url);
      expect(ok.status).toBe(200);
      const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
      expect(ok.headers['set-cookie']![0]).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await request(bare, { headers: { cookie } })).status).toBe(200);
    } finally {
      await s.close();
    }
    const open = await startReviewServer({ workspace: ws, host: '0.0.0.0' });
    try {
      expect(open.token).toMatch(/^[\w-]{32}$/);
      const port = new URL(open.url).port;
      expect((await request(`http://127.0.0.1:${port}/`)).status).toBe(403);
      expect((await request(`http://127.0.0.1:${port}/?token=${open.token}`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
