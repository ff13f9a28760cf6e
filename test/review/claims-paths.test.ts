/**
 * Issue 13 end to end: the demo's NAV pages summarised through the real SDK against a loopback
 * Messages API that answers with planted fabrications (an invented quote, an invented rate, an
 * injected URL). By no path — approve, approve --all, edit then approve, the review page's
 * buttons, run --ci — does a fabrication reach a bundle without an override that is recorded and
 * visible in the bundle. The fabrications are ones the first figures-only verifier already
 * catches (figures, quotes, URLs), so these tests hold with it and with its successor.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import type { Bundle } from '../../src/pipeline/publish/bundle.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { startReviewServer } from '../../src/review/server.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { startAnthropicServer, toolReply, type AnthropicServer } from '../helpers/anthropic-server.js';
import { testIo } from './seed.js';

const KEY = 'sk-ant-claims-paths-0123456789';
const INVENTED = 'Fra 1. mars 2031 er satsen 99 999 kr per år.';
const EVIL = 'http://evil.example.invalid/';

/** The fabricated answer for every page: an invented rate, a fact with an invented quote, an injected URL. */
const FABRICATED = {
  summary: INVENTED,
  keyFacts: [{ fact: 'Satsen er 99 999 kroner per år.', quote: INVENTED }],
  appliesTo: '',
  howToApply: '',
  deadlines: [],
  contacts: [`Søk på ${EVIL} i dag.`],
};

let demo: DemoServer;
let template: string;

beforeAll(async () => {
  demo = await startDemoServer({ version: 'v1' });
  template = await mkdtemp(path.join(os.tmpdir(), 'eti-claims-template-'));
  await prepareDemoWorkspace(template, demo.origin);
  const t = testIo();
  expect(await main(['crawl', '-s', 'demo-nav', '-w', template], t), t.err).toBe(0);
}, 120_000);
afterAll(async () => demo.close());

async function eti(ws: string, api: AnthropicServer, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const t = testIo({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api.url });
  const code = await main([...args, '-w', ws], t);
  return { code, out: t.out, err: t.err };
}

/** A copy of the crawled template with every page summarised from fabricated answers; returns the pending items. */
async function fabricated(): Promise<{ ws: string; api: AnthropicServer; items: ReviewItem[] }> {
  const api = await startAnthropicServer({ apiKey: KEY });
  api.enqueue(...Array.from({ length: 40 }, () => toolReply(FABRICATED)));
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-claims-'));
  await cp(template, ws, { recursive: true });
  const r = await eti(ws, api, ['summarize', '-q', '-s', 'demo-nav', '--provider', 'anthropic']);
  expect(r.code, r.err).toBe(0);
  const items = (await (await Store.open(storeDirOf(ws))).reviews())
    .filter((i) => i.status === 'pending' && i.summaryId)
    .sort((a, b) => (a.url < b.url ? -1 : 1));
  expect(items.length).toBeGreaterThan(3);
  return { ws, api, items };
}

async function publish(ws: string, api: AnthropicServer): Promise<{ bundle: Bundle; dir: string; files: string }> {
  const r = await eti(ws, api, ['publish', '-q']);
  // Nothing approved: publish refuses (exit 1) and writes no bundle; what a family could see is the
  // latest bundle written before (by `run`), if any, and that is what is checked then.
  const isRefused = r.code === 1 && r.err.includes('nothing to publish');
  if (!isRefused) expect(r.code, r.err).toBe(0);
  if (isRefused && !existsSync(path.join(ws, 'output', 'LATEST')))
    return { bundle: { pages: [] } as unknown as Bundle, dir: '', files: '' };
  const id = (await readFile(path.join(ws, 'output', 'LATEST'), 'utf8')).trim();
  const dir = path.join(ws, 'output', id);
  const bundle = JSON.parse(await readFile(path.join(dir, 'bundle.json'), 'utf8')) as Bundle;
  const pages = await Promise.all(bundle.pages.map((p) => readFile(path.join(dir, 'pages', `${p.slug}.md`), 'utf8')));
  return { bundle, dir, files: `${JSON.stringify(bundle)}\n${pages.join('\n')}` };
}

/** No fabrication in the bundle (bundle.json and every page). */
function expectClean(files: string): void {
  expect(files).not.toContain('99 999');
  expect(files).not.toContain('evil.example.invalid');
}

/** The refs of an item's unsupported claims, from `review show --json`. */
async function unsupportedRefs(ws: string, api: AnthropicServer, id: string): Promise<string[]> {
  const r = await eti(ws, api, ['review', 'show', id, '--json']);
  const line = JSON.parse(r.out.split('\n').find((l) => l.startsWith('{'))!) as {
    claims: { field: string; index: number; verdict: string }[];
  };
  return line.claims.filter((c) => c.verdict === 'unsupported').map((c) => `${c.field}.${c.index}`);
}

describe('no fabrication reaches a bundle without a recorded, visible override', () => {
  it('approve: refused, naming each unsupported claim; with an override per claim it is published, marked in bundle.json, front matter and Markdown, and in the log', async () => {
    const { ws, api, items } = await fabricated();
    try {
      const item = items[0]!;
      const calls = api.requests.length;
      const refused = await eti(ws, api, ['review', 'approve', item.id, '--as', 'Kari']);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/claims? not supported by (its|their) source spans: summary\.0 "Fra 1\. mars 2031/);
      expect(refused.err).toContain('contacts.0');
      expectClean((await publish(ws, api)).files);

      const refs = await unsupportedRefs(ws, api, item.id);
      expect(refs).toEqual(expect.arrayContaining(['summary.0', 'keyFacts.0', 'contacts.0']));
      // One override short: still refused.
      const partial = await eti(ws, api, [
        'review',
        'approve',
        item.id,
        '--as',
        'Kari',
        ...refs.slice(1).flatMap((r) => ['--override', `${r}=sjekket`]),
      ]);
      expect(partial.code).toBe(2);
      const ok = await eti(ws, api, [
        'review',
        'approve',
        item.id,
        '--as',
        'Kari',
        ...refs.flatMap((r) => ['--override', `${r}=sjekket med NAV på telefon`]),
      ]);
      expect(ok.code, ok.err).toBe(0);

      const { bundle, dir } = await publish(ws, api);
      const page = bundle.pages.find((p) => p.url === item.url)!;
      expect(page.isGrounded).toBe(false);
      const overridden = page.claims!.filter((c) => c.override);
      expect(overridden.map((c) => c.ref).sort()).toEqual([...refs].sort());
      expect(overridden[0]!.override).toEqual({ reason: 'sjekket med NAV på telefon', by: 'Kari', at: expect.any(String) });
      const md = await readFile(path.join(dir, 'pages', `${page.slug}.md`), 'utf8');
      expect(md).toMatch(/^overridden_claims:\n {2}- claim: summary\.0\n/m);
      expect(md).toContain('publisert etter vurdering av Kari: sjekket med NAV på telefon');
      expect(md).toMatch(/\[\^1\]: /);
      const check = await eti(ws, api, ['publish', '--check', dir]);
      expect(check.code, check.err).toBe(0);
      const log = JSON.parse((await eti(ws, api, ['review', 'log', '--json'])).out) as {
        entries: { action: string; itemId: string; note?: string }[];
      };
      expect(log.entries.find((e) => e.itemId === item.id && e.action === 'approved')!.note).toContain(
        'override summary.0: sjekket med NAV på telefon',
      );
      // Verification (show, approve, publish, check) added no LLM call.
      expect(api.requests.length).toBe(calls);
      // A bundle whose unsupported claim lost its override fails the check.
      const tampered = JSON.parse(await readFile(path.join(dir, 'bundle.json'), 'utf8')) as Bundle;
      delete tampered.pages.find((p) => p.url === item.url)!.claims!.find((c) => c.override)!.override;
      const { checkEvidence } = await import('../../src/pipeline/publish/evidence.js');
      expect(() => checkEvidence('bundle.json', tampered.pages)).toThrow(
        /claim \S+ ".*" is not supported by its source spans and has no recorded override/,
      );
    } finally {
      await api.close();
    }
  }, 120_000);

  it('approve --all: every fabricated item is left pending, a bare reason is no override, and nothing is published', async () => {
    const { ws, api, items } = await fabricated();
    try {
      const r = await eti(ws, api, ['review', 'approve', '--all', '--kind', 'new', '--as', 'Kari', '--override', 'alt er sjekket']);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/Approved 0; left \d+ pending/);
      for (const i of items) expect(r.err).toContain(`left pending ${i.id}`);
      const { bundle, files } = await publish(ws, api);
      expect(bundle.pages).toEqual([]);
      expectClean(files);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('edit then approve: the edited text is verified again; a fabricated edit is refused, and the other fields stay checked', async () => {
    const { ws, api, items } = await fabricated();
    try {
      const item = items[1]!;
      const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-claims-edit-'));
      const file = path.join(dir, 'edit.txt');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, 'Sats 1 er 9 999 kroner. Ring 55 55 55 55.\n');
      const edit = await eti(ws, api, ['review', 'edit', item.id, '--summary-file', file, '--as', 'Kari']);
      expect(edit.code, edit.err).toBe(0);
      expect(edit.err).toMatch(/unsupported summary\.0 "Sats 1 er 9 999 kroner\."/);
      const refused = await eti(ws, api, ['review', 'approve', item.id, '--as', 'Ola']);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/summary\.0 "Sats 1 er 9 999 kroner\."/);
      // Every field edited to text of the page itself: now it can be approved, and it is that text that is published.
      const store = await Store.open(storeDirOf(ws));
      const v = (await store.page(item.sourceId, item.url))!.versions.at(-1)!;
      const firstLine = (await store.blobs.get(v.contentHash))!.split('\n').find((l) => /[.!?]$/.test(l) && l.split(' ').length > 4)!;
      await writeFile(file, `${firstLine}\n## keyFacts\n\n## contacts\n\n`);
      const fixed = await eti(ws, api, ['review', 'approve', item.id, '--summary-file', file, '--as', 'Ola']);
      expect(fixed.code, fixed.err).toBe(0);
      const { bundle, files } = await publish(ws, api);
      expectClean(files);
      const page = bundle.pages.find((p) => p.url === item.url)!;
      expect(page).toMatchObject({ summary: firstLine, isEdited: true, isGrounded: true, keyFacts: [] });
      expect(page.contacts).toBeUndefined();
      expect(page.claims!.every((c) => c.verdict !== 'unsupported')).toBe(true);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('$EDITOR: every field is editable in one document; each edited field is verified again', async () => {
    const { ws, api, items } = await fabricated();
    try {
      const item = items[4] ?? items[0]!;
      const store = await Store.open(storeDirOf(ws));
      const v = (await store.page(item.sourceId, item.url))!.versions.at(-1)!;
      // One sentence of the page (so the key fact's quote is all of it).
      const line = (await store.blobs.get(v.contentHash))!.split('\n').find((l) => /^[^.!?]*[.!?]$/.test(l) && l.split(' ').length > 4)!;
      const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-claims-editor-'));
      const script = path.join(dir, 'ed.mjs');
      const { writeFile } = await import('node:fs/promises');
      // An editor that rewrites the document: the summary and the key fact from the page, the contact still injected.
      const doc = (contact: string): string => `${line}\n## keyFacts\n${line}\n## contacts\n${contact}\n`;
      await writeFile(
        script,
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], ${JSON.stringify(doc(`Søk på ${EVIL} i dag.`))});\n`,
      );
      const edit = await eti(ws, api, ['review', 'edit', item.id, '--as', 'Kari']);
      expect(edit.code).toBe(2); // no editor set: a usage error, nothing changed
      const t = testIo({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api.url, EDITOR: `${process.execPath} ${script}` });
      expect(await main(['review', 'edit', item.id, '--as', 'Kari', '-w', ws], t), t.err).toBe(0);
      expect(t.err).toMatch(/unsupported contacts\.0 "Søk på http:\/\/evil\.example\.invalid\/ i dag\."/);
      expect(t.err).not.toMatch(/unsupported (summary|keyFacts)/);
      const stored = (await (await Store.open(storeDirOf(ws))).reviews()).find((i) => i.id === item.id)!;
      // The contact text is the generated one: no edit of it is stored, and it is still checked.
      expect(stored).toMatchObject({ editedSummary: line, editedFields: { keyFacts: line } });
      expect(stored.editedFields!.contacts).toBeUndefined();
      const refused = await eti(ws, api, ['review', 'approve', item.id, '--as', 'Ola']);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/1 claim not supported by its source spans: contacts\.0 /);
      await writeFile(script, `import { writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], ${JSON.stringify(doc(''))});\n`);
      const t2 = testIo({ EDITOR: `${process.execPath} ${script}` });
      expect(await main(['review', 'edit', item.id, '--as', 'Kari', '-w', ws], t2), t2.err).toBe(0);
      const ok = await eti(ws, api, ['review', 'approve', item.id, '--as', 'Ola']);
      expect(ok.code, ok.err).toBe(0);
      const { bundle, files } = await publish(ws, api);
      expectClean(files);
      expect(bundle.pages.find((p) => p.url === item.url)).toMatchObject({
        summary: line,
        keyFacts: [{ fact: line, quote: line }],
        isGrounded: true,
      });
    } finally {
      await api.close();
    }
  }, 120_000);

  it("the review page's buttons: «Godkjenn» is refused, an edit is verified again, and only a reason per claim publishes it, recorded in the bundle", async () => {
    const { ws, api, items } = await fabricated();
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const item = items[2]!;
      const origin = s.url.replace(/\/$/, '');
      const page = await get(`${s.url}item/${item.id}`);
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
      expect(page.body).not.toMatch(/class="ok">Kontroll/);
      const untouched = await post(`${s.url}item/${item.id}/approve`, origin, { csrf, reviewer: 'Kari', summary: INVENTED });
      expect(untouched.status).toBe(409);
      const edited = await post(`${s.url}item/${item.id}/approve`, origin, {
        csrf,
        reviewer: 'Kari',
        summary: 'Sats 1 er 9 999 kroner. Ring 55 55 55 55.',
      });
      expect(edited.status).toBe(409);
      expect(edited.body).toContain('Sats 1 er 9 999 kroner.');
      expectClean((await publish(ws, api)).files);

      const refs = [...page.body.matchAll(/name="override:([^"]+)"/g)].map((m) => m[1]!);
      expect(refs).toEqual(expect.arrayContaining(['summary.0', 'contacts.0']));
      const form: Record<string, string> = { csrf, reviewer: 'Kari', summary: INVENTED };
      for (const r of refs) form[`override:${r}`] = 'bekreftet i vedtaksbrev';
      const ok = await post(`${s.url}item/${item.id}/approve`, origin, form);
      expect(ok.status, ok.body).toBe(303);
      const { bundle } = await publish(ws, api);
      const published = bundle.pages.find((p) => p.url === item.url)!;
      expect(
        published.claims!.filter((c) => c.verdict === 'unsupported').every((c) => c.override?.reason === 'bekreftet i vedtaksbrev'),
      ).toBe(true);
    } finally {
      await s.close();
      await api.close();
    }
  }, 120_000);

  it('«Godkjenn» with the text box untouched on a summary whose stored text ends in a newline is not an edit', async () => {
    const { ws, api, items } = await fabricated();
    const item = items[3]!;
    const store = await Store.open(storeDirOf(ws));
    const summary = (await store.summary(item.sourceId, item.summaryId!))!;
    // A faithful stored text ending in a newline, citing the page itself.
    const firstClaim = summary.claims!.find((c) => c.spans.length > 0)!;
    const text = firstClaim.spans[0]!.quote;
    await store.putSummary(item.sourceId, {
      ...summary,
      content: { ...summary.content, summary: `${text}\n`, keyFacts: [], contacts: [] },
      claims: [{ ...firstClaim, field: 'summary', index: 0, text, verdict: 'supported', findings: [] }],
    });
    await store.flush();
    const s = await startReviewServer({ workspace: ws, reviewer: 'Kari' });
    try {
      const page = await get(`${s.url}item/${item.id}`);
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const box = /<textarea id="summary" name="summary">([\s\S]*?)<\/textarea>/.exec(page.body)![1]!;
      // What a browser sends back: the box's text with CRLF line ends.
      const r = await post(`${s.url}item/${item.id}/approve`, s.url.replace(/\/$/, ''), {
        csrf,
        reviewer: 'Kari',
        summary: unescape(box).replace(/\n/g, '\r\n'),
      });
      expect(r.status, r.body).toBe(303);
      const after = (await (await Store.open(storeDirOf(ws))).reviews()).find((i) => i.id === item.id)!;
      expect(after.status).toBe('approved');
      expect(after.editedSummary).toBeUndefined();
      expect(after.approval?.textSha256).toMatch(/^[0-9a-f]{64}$/);
      const log = JSON.parse((await eti(ws, api, ['review', 'log', '--json'])).out) as { entries: { action: string; itemId: string }[] };
      expect(log.entries.filter((e) => e.itemId === item.id).map((e) => e.action)).toEqual(['created', 'approved']);
    } finally {
      await s.close();
      await api.close();
    }
  }, 120_000);

  it('run --ci: the fabricated summaries wait for review (exit 4), nothing is published and no bundle carries them', async () => {
    const api = await startAnthropicServer({ apiKey: KEY });
    api.enqueue(...Array.from({ length: 40 }, () => toolReply(FABRICATED)));
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-claims-ci-'));
    await prepareDemoWorkspace(ws, demo.origin);
    try {
      const r = await eti(ws, api, ['run', '--ci', '-s', 'demo-nav', '--provider', 'anthropic']);
      // Every summary waits for an editor, so nothing is approved: the run writes no bundle.
      expect(r.code, r.err).toBe(4);
      const report = r.out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map(
          (l) =>
            JSON.parse(l) as {
              type: string;
              outcome?: string;
              bundle?: { skipped?: string };
              summaries?: { flagged: number; created: number };
            },
        );
      const run = report.find((l) => l.summaries)!;
      expect(run.outcome).toBe('pending-review');
      expect(run.bundle!.skipped).toBe('nothing-approved');
      expect(run.summaries!.created).toBeGreaterThan(0);
      expect(run.summaries!.flagged).toBe(run.summaries!.created);
      const { bundle, files } = await publish(ws, api);
      expect(bundle.pages).toEqual([]);
      expectClean(files);
    } finally {
      await api.close();
    }
  }, 120_000);
});

function unescape(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function post(url: string, origin: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let out = '';
        res.on('data', (d: Buffer) => (out += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
