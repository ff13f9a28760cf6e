import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { packageRoot } from '../../src/demo/server.js';
import { loadPrompts } from '../../src/llm/prompts.js';
import { OfflineProvider } from '../../src/llm/offline.js';
import { classifyChange } from '../../src/pipeline/diff/classify.js';
import { crawl } from '../../src/pipeline/crawl/crawl.js';
import { isNoiseOnly, noiseKey } from '../../src/pipeline/diff/noise.js';
import { updateReviewQueue } from '../../src/pipeline/summarize/queue.js';
import { compareItems, decide, publishedItems } from '../../src/pipeline/review/review.js';
import { Store } from '../../src/store/store.js';

describe('noise', () => {
  const rules = { patterns: [/Mest lest: .*/] };
  it('masks counters, copyright years, moved blocks and source patterns', () => {
    expect(isNoiseOnly({ text: 'Avlastning\n1 234 visninger' }, { text: 'Avlastning\n1 240 visninger' }, rules)).toBe(true);
    expect(isNoiseOnly({ text: 'Viser 1-10 av 57 treff\nA' }, { text: 'Viser 1-10 av 58 treff\nA' }, rules)).toBe(true);
    expect(isNoiseOnly({ text: 'A\n© 2025 Fjordvik kommune' }, { text: 'A\n© 2026 Fjordvik kommune' }, rules)).toBe(true);
    expect(isNoiseOnly({ text: 'Meny\nBPA\nAvlastning\nOmsorgsstønad' }, { text: 'Meny\nOmsorgsstønad\nBPA\nAvlastning' }, rules)).toBe(
      true,
    );
    expect(isNoiseOnly({ text: 'A\nMest lest: BPA' }, { text: 'A\nMest lest: Avlastning' }, rules)).toBe(true);
    expect(isNoiseOnly({ text: 'A\nBoks', ignoredLines: ['Boks'] }, { text: 'A\nAnnen boks', ignoredLines: ['Annen boks'] }, rules)).toBe(
      true,
    );
  });
  it('never hides a changed figure or word', () => {
    expect(isNoiseOnly({ text: 'Sats: 8 232 kroner' }, { text: 'Sats: 8 500 kroner' }, rules)).toBe(false);
    expect(isNoiseOnly({ text: 'Du har rett til avlastning.' }, { text: 'Du har ikke rett til avlastning.' }, rules)).toBe(false);
    expect(isNoiseOnly({ text: 'Søk innen 3 år.' }, { text: 'Søk innen 3 måneder.' }, rules)).toBe(false);
    expect(isNoiseOnly({ text: 'A' }, { text: 'A' }, rules)).toBe(false);
    expect(noiseKey('x\n\ny', rules)).toBe('x\ny');
  });
});

describe('classifyChange', () => {
  const c = (oldText: string, newText: string, md?: [string, string]) =>
    classifyChange({ kind: 'changed', oldText, newText, ...(md ? { oldMarkdown: md[0], newMarkdown: md[1] } : {}) });
  it('calls figures, eligibility words, contacts and sections material', () => {
    expect(c('Satsen er 8 232 kroner i måneden.', 'Satsen er 8 500 kroner i måneden.')).toEqual({
      changeClass: 'material',
      reasons: ['figure 8 232 → 8 500'],
    });
    expect(c('Søknadsfristen er 1. mars.', 'Søknadsfristen er 15. mars.').changeClass).toBe('material');
    expect(c('Du har rett til avlastning.', 'Du har ikke rett til avlastning.')).toEqual({
      changeClass: 'material',
      reasons: ['added "ikke"'],
    });
    expect(c('Send e-post til post@a.no.', 'Send e-post til post@b.no.').changeClass).toBe('material');
    const section = c('Intro.', 'Intro.\nSøk elektronisk.', ['# A\n\nIntro.', '# A\n\nIntro.\n\n## Slik søker du\n\nSøk elektronisk.']);
    expect(section.changeClass).toBe('material');
    expect(section.reasons).toContain('section added: Slik søker du');
  });
  it('tells wording from cosmetic', () => {
    expect(c('Tjenesten er et tilbud til familier.', 'Tjenesten er et godt tilbud til familier.').changeClass).toBe('wording');
    expect(c('Tjenesten er et tilbud til familier', 'Tjenesten er et tilbud til familier.').changeClass).toBe('cosmetic');
    expect(c('tjenesten er et tilbud', 'Tjenesten  er et tilbud').changeClass).toBe('cosmetic');
  });
  it('calls new and removed pages material', () => {
    expect(classifyChange({ kind: 'new' }).changeClass).toBe('material');
    expect(classifyChange({ kind: 'removed' }).changeClass).toBe('material');
  });
});

type Site = Record<string, string>;
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

const page = (title: string, body: string, aside = '') =>
  `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}${aside}</main></body></html>`;
const filler =
  '<p>Avlastning skal gi foreldre og andre omsorgsytere nødvendig hvile og fritid, og mulighet til å delta i vanlige samfunnsaktiviteter. Kommunen vurderer behovet ut fra en helhetlig vurdering av familiens situasjon.</p>';

async function setup(site: Site) {
  const server = http.createServer((req, res) => {
    const body = site[new URL(req.url!, 'http://x').pathname];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { sources } = parseConfig(
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: http, respect_robots: false }
sources:
  - id: kommune
    name: Kommune
    owner: Fjordvik kommune
    start_urls: ['${origin}/a', '${origin}/b', '${origin}/c']
    max_depth: 0
    ignore: ['Sist besøkt av \\d+ personer']
    ignore_selectors: ['.mest-lest']
`,
    'sources.yaml',
  );
  const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-changes-')));
  let now = new Date('2026-03-01T00:00:00Z');
  const clock = () => now;
  const prompts = await loadPrompts(path.join(packageRoot(), 'prompts'));
  const llm = new OfflineProvider();
  const run = async () => {
    const crawled = await crawl(sources, {
      store,
      clock,
      userAgent: 'eti-test',
      concurrency: 2,
      retries: 0,
      browser: () => {
        throw new Error('no browser');
      },
    });
    const queued = await updateReviewQueue(sources, { store, llm, prompts, clock, concurrency: 2 });
    now = new Date(now.getTime() + 86_400_000);
    return { crawled, queued };
  };
  return { origin, sources, store, run, clock };
}

/** An editor approves every pending item, at the test clock's time. */
async function approvePending(store: Store, clock: () => Date): Promise<void> {
  const shard = await store.shard('kommune');
  const summaries = await store.summaries('kommune');
  for (const item of Object.values(shard.reviews).filter((i) => i.status === 'pending')) {
    await store.putReview(decide(item, { status: 'approved', by: 'Kari', at: clock().toISOString() }, summaries[item.summaryId!]));
  }
  await store.flush();
}

describe('noise and classes through crawl and review queue', () => {
  it('records a noise-only change without a review item, and puts a rate change first', async () => {
    const site: Site = {
      '/a': page(
        'Omsorgsstønad',
        `<p>Satsen er 8 232 kroner i måneden.</p>${filler}<p>Sist besøkt av 120 personer</p>`,
        '<aside class="mest-lest">Mest lest: BPA</aside>',
      ),
      '/b': page('Avlastning', `<p>Tjenesten er et tilbud til familier.</p>${filler}<p>1 234 visninger</p>`),
      '/c': page('BPA', `<p>Brukerstyrt personlig assistanse er en måte å organisere tjenester på.</p>${filler}`),
    };
    const { origin, store, run } = await setup(site);
    const first = await run();
    expect(first.crawled.counts.new).toBe(3);
    expect(first.queued.created.map((i) => i.changeClass)).toEqual(['material', 'material', 'material']);
    // Editors approve everything.
    const shard = await store.shard('kommune');
    const summaries = await store.summaries('kommune');
    for (const item of Object.values(shard.reviews)) {
      await store.putReview(decide(item, { status: 'approved', by: 'Kari', at: '2026-03-01T12:00:00Z' }, summaries[item.summaryId!]));
    }
    await store.flush();

    // Noise everywhere, a rate change on /a, a wording change on /b, punctuation on /c.
    site['/a'] = page(
      'Omsorgsstønad',
      `<p>Satsen er 8 500 kroner i måneden.</p>${filler}<p>Sist besøkt av 190 personer</p>`,
      '<aside class="mest-lest">Mest lest: Avlastning</aside>',
    );
    site['/b'] = page('Avlastning', `<p>Tjenesten er et godt tilbud til familier.</p>${filler}<p>1 300 visninger</p>`);
    site['/c'] = page('BPA', `<p>Brukerstyrt personlig assistanse er en måte å organisere tjenester på</p>${filler}`);
    const second = await run();
    expect(second.crawled.counts.changed).toBe(3);
    const pending = second.queued.created.sort(compareItems);
    expect(pending.map((i) => [i.url.slice(origin.length), i.changeClass])).toEqual([
      ['/a', 'material'],
      ['/b', 'wording'],
      ['/c', 'cosmetic'],
    ]);
    expect(pending[0]!.classReasons).toEqual(['figure 8 232 → 8 500']);

    // Only noise changes now: new versions are kept, but nothing goes to review.
    site['/a'] = site['/a'].replace('190 personer', '250 personer').replace('Mest lest: Avlastning', 'Mest lest: Klage');
    site['/b'] = site['/b'].replace('1 300 visninger', '1 400 visninger');
    const third = await run();
    expect(third.crawled.counts.noise).toBe(2);
    expect(third.crawled.changes.filter((c) => c.isNoise).length).toBe(2);
    expect(third.queued.created).toEqual([]);
    const a = await store.page('kommune', `${origin}/a`);
    expect(a!.versions).toHaveLength(3);
    expect(a!.versions[2]!.noiseOf).toBe(a!.versions[1]!.contentHash);
    // The pending item of the material change is still there, not superseded.
    const after = await store.shard('kommune');
    expect(Object.values(after.reviews).filter((i) => i.status === 'pending')).toHaveLength(3);

    // A real change after noise is compared with the content before the noise.
    site['/a'] = site['/a'].replace('8 500 kroner', '8 600 kroner');
    const fourth = await run();
    expect(fourth.queued.created).toHaveLength(1);
    expect(fourth.queued.created[0]!.classReasons).toEqual(['figure 8 232 → 8 600']);
  });

  it('summarises content met again after another version against that version, not from the cache of its first time', async () => {
    const rate = (kr: string) => page('Omsorgsstønad', `<p>Satsen er ${kr} kroner i måneden.</p>${filler}`);
    const site: Site = { '/a': rate('7 000'), '/b': page('Avlastning', filler), '/c': page('BPA', filler) };
    const { origin, store, run, clock } = await setup(site);
    const approveAll = () => approvePending(store, clock);
    await run();
    await approveAll();
    // 7 000 → 8 232 (approved), 8 232 → 8 500 (approved), then back to 8 232.
    site['/a'] = rate('8 232');
    const second = await run();
    expect(second.queued.llmCalls).toBe(1);
    const firstTime = second.queued.created[0]!;
    await approveAll();
    site['/a'] = rate('8 500');
    await run();
    await approveAll();
    site['/a'] = rate('8 232');
    const fourth = await run();
    expect(fourth.queued.created).toHaveLength(1);
    const again = fourth.queued.created[0]!;
    expect(again.url).toBe(`${origin}/a`);
    expect(again.contentHash).toBe(firstTime.contentHash);
    expect(again.classReasons).toEqual(['figure 8 500 → 8 232']);
    // The change summary of 7 000 → 8 232 does not describe 8 500 → 8 232: a new summary, not the cached one.
    expect(fourth.queued.llmCalls).toBe(1);
    expect(again.summaryId).not.toBe(firstTime.summaryId);
    // A second item for the same content, with an id of its own: the first one's decision stays on record.
    expect(again.id).not.toBe(firstTime.id);
    const shard = await store.shard('kommune');
    expect(shard.reviews[firstTime.id]!.status).toBe('approved');
    // Once approved, the bundle publishes 8 232 again (before the fix it kept publishing 8 500).
    await approveAll();
    const published = publishedItems(Object.values((await store.shard('kommune')).reviews)).find((i) => i.url === `${origin}/a`);
    expect(published?.id).toBe(again.id);
    // And an unchanged recrawl after that still costs nothing.
    const fifth = await run();
    expect(fifth.queued.llmCalls).toBe(0);
    expect(fifth.queued.created).toEqual([]);
  });

  it('a page that comes back after its removal was published is a new page again, summarised from the cache', async () => {
    const site: Site = {
      '/a': page('Omsorgsstønad', `<p>Omsorgsstønad gis til den som har særlig tyngende omsorgsarbeid.</p>${filler}`),
      '/b': page('Avlastning', `<p>Avlastning gir foreldre hvile.</p>${filler}`),
      '/c': page('BPA', `<p>Brukerstyrt personlig assistanse for barn med store behov.</p>${filler}`),
    };
    const { origin, store, run, clock } = await setup(site);
    const approveAll = () => approvePending(store, clock);
    await run();
    await approveAll();
    const bpa = site['/c']!;
    delete site['/c'];
    await run();
    const gone = await run(); // the second 404 in a row: removed
    expect(gone.queued.created.map((i) => [i.url.slice(origin.length), i.kind])).toEqual([['/c', 'removed']]);
    await approveAll();
    const published = async () =>
      publishedItems(Object.values((await store.shard('kommune')).reviews)).map((i) => i.url.slice(origin.length));
    expect(await published()).toEqual(['/a', '/b']);

    site['/c'] = bpa;
    const back = await run();
    expect(back.queued.created.map((i) => [i.url.slice(origin.length), i.kind, i.changeClass])).toEqual([['/c', 'new', 'material']]);
    expect(back.queued.created[0]!.baseHash).toBeUndefined();
    expect(back.queued.llmCalls).toBe(0); // the same content was summarised before
    await approveAll();
    expect(await published()).toEqual(['/a', '/b', '/c']);
    expect((await run()).queued.created).toEqual([]);
  });
});
