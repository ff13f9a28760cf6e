import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedSource } from '../../../src/config/schema.js';
import type { TopicConfig } from '../../../src/config/topics.js';
import { sha256 } from '../../../src/hash.js';
import { AnthropicProvider } from '../../../src/llm/anthropic.js';
import { OfflineProvider } from '../../../src/llm/offline.js';
import { loadPrompts, type PromptSet } from '../../../src/llm/prompts.js';
import type { LlmProvider, SummaryRequest } from '../../../src/llm/provider.js';
import { bundleFiles, bundleSchema } from '../../../src/pipeline/publish/bundle.js';
import { RefusedError } from '../../../src/pipeline/review/review.js';
import { siteFiles } from '../../../src/pipeline/site/index.js';
import { bundleTopic } from '../../../src/pipeline/publish/topics.js';
import {
  decideTopic,
  editTopic,
  readTopicFile,
  selectMembers,
  staleReason,
  updateTopics,
  writeTopicFile,
  type TopicMember,
} from '../../../src/pipeline/topics/index.js';
import { startAnthropicServer, toolReply } from '../../helpers/anthropic-server.js';
import { assertAtom, assertJsonFeed } from '../../helpers/feed-validators.js';

/** The real offline provider, with its calls counted (what a run pays for). */
class Counted implements LlmProvider {
  readonly name = 'offline';
  readonly model = 'extractive-v1';
  calls: string[] = [];
  readonly #inner = new OfflineProvider();
  async summarize(req: SummaryRequest) {
    this.calls.push(req.url);
    return this.#inner.summarize(req);
  }
}

const PAGES: Record<string, { sourceId: string; title: string; text: string }> = {
  'https://fjordvik.example/avlastning/': {
    sourceId: 'fjordvik',
    title: 'Avlastning for barn og unge',
    text: [
      'Avlastning skal gi foreldre som har et særlig tyngende omsorgsarbeid, fritid og hvile.',
      'Kommunen bestemmer hvor mye avlastning familien får, etter en samtale med dere.',
      'Send søknaden til Tildelingskontoret, Fjordvik kommune, Postboks 100, 9999 Fjordvik.',
      'Avlastning er gratis for familien.',
    ].join('\n'),
  },
  'https://www.nav.no/pleiepenger/': {
    sourceId: 'nav',
    title: 'Pleiepenger for sykt barn',
    text: [
      'Pleiepenger skal erstatte inntekten din når du må være borte fra jobb for å pleie et sykt barn.',
      'Du kan få pleiepenger hvis barnet ditt har behov for kontinuerlig tilsyn og pleie hele døgnet.',
      'Barnet må som hovedregel være under 18 år.',
      'Søk så snart du vet at du trenger pleiepenger.',
    ].join('\n'),
  },
  'https://www.nav.no/omsorgspenger/': {
    sourceId: 'nav',
    title: 'Omsorgspenger',
    text: [
      'Omsorgspenger gir deg rett til å være borte fra jobb når barnet er sykt.',
      'Du har 10 omsorgsdager hvert kalenderår hvis du har ett eller to barn.',
      'Arbeidsgiveren betaler omsorgspenger for de første dagene.',
    ].join('\n'),
  },
  'https://helsedirektoratet.example/avlastning/': {
    sourceId: 'hdir',
    title: 'Avlastning – veileder',
    text: [
      'Kommunen skal tilby avlastning til personer med særlig tyngende omsorgsarbeid.',
      'Avlastningen skal være et reelt tilbud som familien kan bruke.',
    ].join('\n'),
  },
};

function member(url: string, text = PAGES[url]!.text): TopicMember {
  const p = PAGES[url]!;
  return {
    url,
    sourceId: p.sourceId,
    sourceName: p.sourceId.toUpperCase(),
    owner: p.sourceId,
    contentHash: sha256(text),
    title: p.title,
    markdown: text,
    text,
  };
}

const sources = (['fjordvik', 'nav', 'hdir'] as const).map((id) => ({
  id,
  tags: id === 'fjordvik' ? ['kommune'] : [],
})) as unknown as ResolvedSource[];

const topic = (id: string, urls: string[]): TopicConfig => ({
  id,
  title: id,
  audiences: ['parents'],
  members: { tags: [], sources: [], urls },
});
const TOPICS = [
  topic('avlastning', ['^https://fjordvik\\.example/avlastning/', '^https://helsedirektoratet\\.example/avlastning/']),
  topic('sykt-barn', ['^https://www\\.nav\\.no/pleiepenger/', '^https://fjordvik\\.example/avlastning/']),
  topic('omsorgspenger', ['^https://www\\.nav\\.no/omsorgspenger/', '^https://www\\.nav\\.no/pleiepenger/']),
];

let dir: string;
let prompts: PromptSet;
let now = '2026-11-01T08:00:00.000Z';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'eti-topics-'));
  prompts = await loadPrompts(new URL('../../../prompts', import.meta.url).pathname);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const candidates = Object.keys(PAGES).map((url) => ({ url, sourceId: PAGES[url]!.sourceId }));
const approvedAll = (overrides: Record<string, TopicMember> = {}) =>
  new Map(Object.keys(PAGES).map((url) => [url, overrides[url] ?? member(url)]));
const deps = (llm: LlmProvider) => ({ dir, llm, prompts, clock: () => new Date(now) });

async function approveAll(topicIds: string[]): Promise<void> {
  for (const id of topicIds) {
    const file = await readTopicFile(dir, id);
    file.compilations = file.compilations.map((c) =>
      c.status === 'pending' ? decideTopic(c, { status: 'approved', by: 'Kari', at: now }) : c,
    );
    await writeTopicFile(dir, file);
  }
}

describe('compiled topics', () => {
  it('compiles each topic from its approved members only, every claim citing a member span and supported', async () => {
    const llm = new Counted();
    const r = await updateTopics(TOPICS, { candidates, approved: approvedAll() }, sources, deps(llm));
    expect(r.llmCalls).toBe(3);
    expect(r.compiled.map((c) => [c.topicId, c.members.map((m) => m.sourceId)])).toEqual([
      ['avlastning', ['fjordvik', 'hdir']],
      ['sykt-barn', ['fjordvik', 'nav']],
      ['omsorgspenger', ['nav', 'nav']],
    ]);
    const avl = r.compiled[0]!;
    expect(avl.claims.length).toBeGreaterThan(3);
    expect(avl.claims.every((c) => c.verdict === 'supported')).toBe(true);
    // Spans are offsets into the member's approved Markdown, under its content hash.
    const byHash = new Map(avl.members.map((m) => [m.contentHash, PAGES[m.url]!.text]));
    for (const c of avl.claims) for (const s of c.spans) expect(byHash.get(s.contentHash)!.slice(s.start, s.end)).toBe(s.quote);
    // Both sources contribute.
    expect(new Set(avl.claims.flatMap((c) => c.spans.map((s) => s.contentHash))).size).toBe(2);
    const stored = JSON.parse(await readFile(path.join(dir, 'avlastning.json'), 'utf8'));
    expect(stored.compilations).toHaveLength(1);
    expect(stored.compilations[0].status).toBe('pending');
  });

  it('a topic whose members are all unapproved is skipped with the reason, never compiled from pending text', async () => {
    const llm = new Counted();
    const approved = new Map([['https://www.nav.no/omsorgspenger/', member('https://www.nav.no/omsorgspenger/')]]);
    const r = await updateTopics([TOPICS[0]!], { candidates, approved }, sources, deps(llm));
    expect(llm.calls).toEqual([]);
    expect(r.skipped).toEqual([
      {
        topicId: 'avlastning',
        audience: 'parents',
        reason: 'none of its 2 member pages is approved; a topic is compiled from approved text only',
      },
    ]);
    expect((await readTopicFile(dir, 'avlastning')).compilations).toEqual([]);
    const none = selectMembers(topic('x', ['^https://nowhere\\.example/']), candidates, approved, sources);
    expect(none).toEqual({
      ok: false,
      reason: 'no stored page matches its members (urls "^https://nowhere\\.example/" match nothing); crawl first',
    });
  });

  it('recompiles only the topics citing a member whose approved content changed; 0 LLM calls when nothing changed', async () => {
    const llm = new Counted();
    await updateTopics(TOPICS, { candidates, approved: approvedAll() }, sources, deps(llm));
    expect(llm.calls).toHaveLength(3);
    await approveAll(['avlastning', 'sykt-barn', 'omsorgspenger']);

    llm.calls = [];
    const same = await updateTopics(TOPICS, { candidates, approved: approvedAll() }, sources, deps(llm));
    expect(llm.calls).toEqual([]);
    expect(same).toMatchObject({ llmCalls: 0, cached: 3, compiled: [] });

    // The municipality's approved avlastning page changes: avlastning and sykt-barn cite it, omsorgspenger does not.
    const url = 'https://fjordvik.example/avlastning/';
    const changed = member(url, PAGES[url]!.text.replace('Avlastning er gratis for familien.', 'Avlastning koster 200 kroner per døgn.'));
    now = '2026-11-02T08:00:00.000Z';
    const r = await updateTopics(TOPICS, { candidates, approved: approvedAll({ [url]: changed }) }, sources, deps(llm));
    expect(llm.calls).toEqual(['topic:avlastning', 'topic:sykt-barn']);
    expect(r).toMatchObject({ llmCalls: 2, cached: 1 });
    // The approved compilation is stale until the new one is approved.
    const file = await readTopicFile(dir, 'avlastning');
    const approved = file.compilations.find((c) => c.status === 'approved')!;
    expect(staleReason(approved, [changed, member('https://helsedirektoratet.example/avlastning/')])).toBe(`changed or gone: ${url}`);
  });

  it('--max-calls bounds the topics too: the rest waits for the next run, said so', async () => {
    const llm = new Counted();
    const r = await updateTopics(TOPICS, { candidates, approved: approvedAll() }, sources, { ...deps(llm), maxCalls: 1 });
    expect(llm.calls).toEqual(['topic:avlastning']);
    expect(r.skipped.map((x) => [x.topicId, x.reason])).toEqual([
      ['sykt-barn', 'left for the next run (--max-calls)'],
      ['omsorgspenger', 'left for the next run (--max-calls)'],
    ]);
    const next = await updateTopics(TOPICS, { candidates, approved: approvedAll() }, sources, deps(llm));
    expect(next).toMatchObject({ llmCalls: 2, cached: 1 });
  });

  it('shows the claims whose spans no longer exist first, as broken', async () => {
    const llm = new Counted();
    await updateTopics([TOPICS[0]!], { candidates, approved: approvedAll() }, sources, deps(llm));
    await approveAll(['avlastning']);
    const url = 'https://fjordvik.example/avlastning/';
    const gone = 'Avlastning skal gi foreldre som har et særlig tyngende omsorgsarbeid, fritid og hvile.';
    const changed = member(url, PAGES[url]!.text.replace(gone, 'Avlastning er et tilbud til familier.'));
    const r = await updateTopics([TOPICS[0]!], { candidates, approved: approvedAll({ [url]: changed }) }, sources, deps(llm));
    const next = r.compiled[0]!;
    // The sentence was used in the summary and as who-has-a-right: both claims are broken.
    expect(next.broken).toEqual([
      { ref: 'summary.0', text: gone, url, quote: gone, reason: 'Sitatet står ikke lenger i den godkjente teksten på siden.' },
      { ref: 'appliesTo.0', text: gone, url, quote: gone, reason: 'Sitatet står ikke lenger i den godkjente teksten på siden.' },
    ]);
    expect(next.baseId).toBeDefined();
    expect(next.changeClass).toBeDefined();
  });

  it('a fabricated claim from the Messages API is unsupported; approval needs an override per claim, recorded in the bundle', async () => {
    const server = await startAnthropicServer({ apiKey: 'sk-ant-test-0123456789' });
    try {
      const fabricated = 'Avlastning koster 5 000 kroner i måneden.';
      server.enqueue(
        toolReply(
          {
            summary: `Kommunen bestemmer hvor mye avlastning familien får. ${fabricated}`,
            keyFacts: [],
            appliesTo: 'Foreldre med særlig tyngende omsorgsarbeid kan få avlastning.',
            howToApply: '',
            deadlines: [],
            contacts: [],
          },
          {
            evidence: [
              {
                field: 'summary',
                text: 'Kommunen bestemmer hvor mye avlastning familien får.',
                quotes: [{ quote: 'Kommunen bestemmer hvor mye avlastning familien får' }],
              },
              { field: 'summary', text: fabricated, quotes: [{ quote: 'Avlastning er gratis for familien.' }] },
              {
                field: 'appliesTo',
                text: 'Foreldre med særlig tyngende omsorgsarbeid kan få avlastning.',
                quotes: [{ quote: 'Kommunen skal tilby avlastning til personer med særlig tyngende omsorgsarbeid.' }],
              },
            ],
          },
        ),
      );
      const llm = new AnthropicProvider({ apiKey: 'sk-ant-test-0123456789', baseURL: server.url, model: 'claude-test', maxRetries: 0 });
      const r = await updateTopics([TOPICS[0]!], { candidates, approved: approvedAll() }, sources, deps(llm));
      expect(server.requests).toHaveLength(1);
      const prompt = server.requests[0]!.body.messages[0]!.content;
      expect(prompt).toContain('<<<SIDE 1');
      expect(prompt).toContain('Kommunen skal tilby avlastning');
      const comp = r.compiled[0]!;
      expect(comp.claims.map((c) => [c.field, c.verdict])).toEqual([
        ['summary', 'supported'],
        ['summary', 'unsupported'],
        ['appliesTo', 'supported'],
      ]);
      // Caught by the verifier (the figures are not in the quoted span), not by a missing span.
      expect(comp.claims[1]!.findings.map((f) => f.code)).not.toContain('span-missing');
      expect(comp.claims[1]!.findings.length).toBeGreaterThan(0);
      // The appliesTo claim rests on the guide (another source than the summary's first sentence).
      expect(comp.claims[2]!.spans[0]!.contentHash).toBe(member('https://helsedirektoratet.example/avlastning/').contentHash);

      expect(() => decideTopic(comp, { status: 'approved', by: 'Kari', at: now })).toThrow(RefusedError);
      expect(() => decideTopic(comp, { status: 'approved', by: 'Kari', at: now })).toThrow(/summary\.1/);
      // An edit is verified again: a kept sentence keeps its quotes, a new one not on any member page is unsupported.
      const edited = editTopic(comp, 'summary', 'Kommunen bestemmer hvor mye avlastning familien får. Avlastning er gratis.', [
        member('https://fjordvik.example/avlastning/'),
        member('https://helsedirektoratet.example/avlastning/'),
      ]);
      expect(edited.editedClaims!.map((c) => c.verdict)).toEqual(['supported', 'unsupported', 'supported']);
      expect(() => decideTopic(edited, { status: 'approved', by: 'Kari', at: now })).toThrow(/summary\.1/);
      const ok = decideTopic(comp, { status: 'approved', by: 'Kari', at: now, overrides: { 'summary.1': 'Ringt kommunen 1. november' } });
      expect(ok.status).toBe('approved');
      const bt = bundleTopic(ok);
      expect(bt.isGrounded).toBe(false);
      expect(bt.claims[1]!.override).toEqual({ reason: 'Ringt kommunen 1. november', by: 'Kari', at: now });
      const { bundle, files } = bundleFiles([], undefined, [], [bt]);
      expect(bundleSchema.parse(JSON.parse(files.get('bundle.json')!))).toEqual(bundle);
      expect(bundle.topics![0]!.members.map((m) => m.sourceName)).toEqual(['FJORDVIK', 'HDIR']);
      const md = files.get('topics/avlastning-parents.md')!;
      expect(md).toContain('## Kilder');
      expect(md).toContain('## Publisert uten støtte i kildene');
      expect(md).toContain('Ringt kommunen 1. november');
      // The feeds: a topic feed (strict JSON Feed 1.1 and Atom), listed in feeds/index.json.
      const feed = assertJsonFeed(files.get('feeds/temaer.json')!);
      expect(feed.items.map((i) => i.title)).toEqual(['Ny side: temaside om avlastning']);
      expect(assertAtom(files.get('feeds/temaer.xml')!).entries).toHaveLength(1);
      expect(files.get('feeds/index.json')).toContain('feeds/temaer.json');
      // A bundle without topics has no topic feed (its files are as before).
      expect(bundleFiles([], undefined, [], []).files.has('feeds/temaer.json')).toBe(false);
      // The preview site: a topic page listing its sources, linked from «Temaer».
      const site = siteFiles(bundle, []);
      const html = site.get('temaside/avlastning-parents.html')!;
      expect(html).toContain('<h2>Kilder</h2>');
      expect(html).toContain('href="https://fjordvik.example/avlastning/"');
      expect(html).toContain('href="https://helsedirektoratet.example/avlastning/"');
      expect(html).toContain('Publisert uten støtte i kildene');
      expect(site.get('tema.html')).toContain('href="temaside/avlastning-parents.html"');
    } finally {
      await server.close();
    }
  });
});
