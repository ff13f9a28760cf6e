import { describe, expect, it } from 'vitest';
import { bundleFiles, type BundlePage } from '../../../src/pipeline/publish/bundle.js';
import { changesSchema, historySchema, indexSchema } from '../../../src/pipeline/channels/changes.js';
import { assignSlugs, pathSlug } from '../../../src/slugs.js';
import { assertAtom, assertJsonFeed, atomText } from '../../helpers/feed-validators.js';

const page = (over: Partial<BundlePage> = {}): BundlePage => ({
  url: 'https://www.nav.no/satser/grunnstonad',
  slug: 'satser-grunnstonad',
  sourceId: 'nav',
  sourceName: 'NAV',
  owner: 'NAV',
  authority: 'primary',
  tags: ['nav', 'Ytelser og støtte'],
  audience: 'parents',
  title: 'Satser',
  lang: 'nb',
  summary: 'Grunnstønad sats 1 er 8 232 kroner i året. Du søker hos NAV.',
  isEdited: false,
  keyFacts: [],
  appliesTo: '',
  howToApply: '',
  deadlines: [],
  contentHash: 'h1',
  fetchedAt: '2026-01-01T00:00:00.000Z',
  changedAt: '2026-01-01T00:00:00.000Z',
  approvedAt: '2026-01-02T00:00:00.000Z',
  approvedBy: 'Kari',
  provider: 'offline',
  model: 'extractive-v1',
  promptHash: 'p',
  isGrounded: true,
  licence: 'NLOD 2.0',
  credit: 'Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av NAV.',
  ...over,
});

const nav = page();
const avl = page({
  url: 'https://fjordvik.kommune.no/avlastning/',
  slug: 'avlastning',
  sourceId: 'fjordvik',
  sourceName: 'Fjordvik kommune',
  owner: 'Fjordvik kommune',
  tags: ['local:fjordvik'],
  title: 'Avlastning',
  contentHash: 'a1',
  credit: 'Kilde: Fjordvik kommune.',
});
const bpa = page({
  url: 'https://fjordvik.kommune.no/bpa',
  slug: 'bpa',
  sourceId: 'fjordvik',
  sourceName: 'Fjordvik kommune',
  owner: 'Fjordvik kommune',
  tags: ['local:fjordvik'],
  title: 'BPA',
  contentHash: 'b1',
  approvedAt: '2026-02-03T00:00:00.000Z',
});
const evil = page({
  url: 'https://x.example/ond',
  slug: 'ond',
  title: 'Ond <script>alert(1)</script> ]]> & "sitat"',
  summary: 'Tekst med <script>alert(2)</script> og ]]> og \u0001 kontrolltegn.',
  contentHash: 'e1',
});

describe('slugs from page paths', () => {
  it('come from the path, Norwegian letters spelled out, the host only for a bare domain', () => {
    expect(pathSlug('https://www.nav.no/familie/Grunnstønad-og-hjelpestønad/')).toBe('familie-grunnstonad-og-hjelpestonad');
    expect(pathSlug('https://www.nav.no/')).toBe('nav-no');
    expect(pathSlug('https://x.example/Æøå%20søknad.html')).toBe('aeoa-soknad');
    for (const url of ['https://x.example/../../etc/passwd', 'https://x.example/a/..%2F..%2Fb'])
      expect(pathSlug(url)).toMatch(/^[a-z0-9-]+$/);
  });

  it('are unique: the first URL keeps a shared slug, the others get a hash; independent of order and of unrelated pages', () => {
    const urls = [
      'https://b.example/avlastning',
      'https://a.example/avlastning',
      'https://a.example/avlastning?x=1',
      'https://a.example/bpa',
    ];
    const one = assignSlugs(urls);
    expect(one.get('https://a.example/avlastning')).toBe('avlastning');
    expect(one.get('https://b.example/avlastning')).toMatch(/^avlastning-[0-9a-f]{8}$/);
    expect(one.get('https://a.example/avlastning?x=1')).toMatch(/^avlastning-[0-9a-f]{8}$/);
    expect(new Set(one.values()).size).toBe(4);
    expect([...assignSlugs([...urls].reverse())].sort()).toEqual([...one].sort());
    expect(assignSlugs([...urls, 'https://c.example/annet']).get('https://b.example/avlastning')).toBe(
      one.get('https://b.example/avlastning'),
    );
  });
});

describe('changes.json and history.json', () => {
  const v1 = bundleFiles([nav, avl]);
  const rate = {
    ...nav,
    contentHash: 'h2',
    changeClass: 'material' as const,
    changeNote: 'Satsen er økt til 8 500 kroner.',
    isMajor: true,
    approvedAt: '2026-02-01T00:00:00.000Z',
  };
  const hist1 = historySchema.parse(JSON.parse(v1.files.get('history.json')!)).entries;
  const v2 = bundleFiles([rate, bpa], v1.bundle, hist1);
  const changes = changesSchema.parse(JSON.parse(v2.files.get('changes.json')!));

  it('list every page as added in a first bundle', () => {
    const first = changesSchema.parse(JSON.parse(v1.files.get('changes.json')!));
    expect(first.previousId).toBeUndefined();
    expect(first.added.map((e) => e.url).sort()).toEqual([avl.url, nav.url]);
    expect(first.added.every((e) => e.isMajor && e.note === 'Ny side.')).toBe(true);
  });

  it("list added, updated (class, major, the editor's note) and withdrawn pages since the previous bundle", () => {
    expect(changes.previousId).toBe(v1.bundle.id);
    expect(changes.added.map((e) => e.url)).toEqual([bpa.url]);
    expect(changes.updated).toEqual([
      expect.objectContaining({
        url: nav.url,
        kind: 'updated',
        changeClass: 'material',
        isMajor: true,
        note: 'Satsen er økt til 8 500 kroner.',
        licence: 'NLOD 2.0',
      }),
    ]);
    expect(changes.withdrawn).toEqual([
      expect.objectContaining({ url: avl.url, kind: 'withdrawn', isMajor: true, credit: 'Kilde: Fjordvik kommune.', contentHash: 'a1' }),
    ]);
    // A minor wording change without a note gets the plain default and stays minor.
    const wording = bundleFiles(
      [
        {
          ...rate,
          contentHash: 'h3',
          changeClass: 'wording',
          changeNote: undefined,
          isMajor: false,
          approvedAt: '2026-03-01T00:00:00.000Z',
        },
        bpa,
      ],
      v2.bundle,
    );
    expect(JSON.parse(wording.files.get('changes.json')!).updated[0]).toMatchObject({
      isMajor: false,
      changeClass: 'wording',
      note: 'Innholdet på kildesiden er endret.',
    });
    // An approval stored before change notes existed: the summary's proposed note, major by class.
    const legacy = bundleFiles(
      [
        {
          ...rate,
          contentHash: 'h4',
          changeNote: undefined,
          isMajor: undefined,
          changeSummary: 'Satsen er endret.',
          approvedAt: '2026-04-01T00:00:00.000Z',
        },
        bpa,
      ],
      wording.bundle,
    );
    expect(JSON.parse(legacy.files.get('changes.json')!).updated[0]).toMatchObject({ isMajor: true, note: 'Satsen er endret.' });
  });

  it('carry the history forward: the presenter sees the whole life of a page in the newest bundle', () => {
    const hist = historySchema.parse(JSON.parse(v2.files.get('history.json')!)).entries;
    expect(hist.filter((e) => e.url === nav.url).map((e) => e.kind)).toEqual(['updated', 'added']);
    expect(hist.filter((e) => e.url === avl.url).map((e) => e.kind)).toEqual(['withdrawn', 'added']);
    // Ids are stable: the v1 entries keep theirs.
    for (const e of hist1) expect(hist.find((h) => h.id === e.id)).toEqual(e);
    expect(new Set(hist.map((e) => e.id)).size).toBe(hist.length);
  });

  it('are byte-identical for the same pages, previous bundle and history, and listed in the manifest', () => {
    const again = bundleFiles([bpa, rate], v1.bundle, hist1);
    expect([...again.files]).toEqual([...v2.files]);
    const manifest = JSON.parse(v2.files.get('manifest.json')!).files as Record<string, string>;
    for (const f of ['changes.json', 'history.json', 'index.json', 'feeds/all.json', 'feeds/all.xml', 'feeds/index.json'])
      expect(manifest[f], f).toMatch(/^[0-9a-f]{64}$/);
  });

  it('index.json has the front matter fields of every page', () => {
    const index = indexSchema.parse(JSON.parse(v2.files.get('index.json')!));
    expect(index.pages.map((p) => p.slug)).toEqual(['bpa', 'satser-grunnstonad']);
    expect(index.pages[1]).toMatchObject({
      path: 'pages/satser-grunnstonad.md',
      description: 'Grunnstønad sats 1 er 8 232 kroner i året.',
      licence: 'NLOD 2.0',
      change_note: 'Satsen er økt til 8 500 kroner.',
    });
  });
});

describe('feeds', () => {
  const v1 = bundleFiles([nav, avl, evil]);
  const v2 = bundleFiles(
    [
      {
        ...nav,
        contentHash: 'h2',
        changeClass: 'wording',
        changeNote: 'Ordlyden er rettet.',
        isMajor: false,
        approvedAt: '2026-02-01T00:00:00.000Z',
      },
      evil,
    ],
    v1.bundle,
    JSON.parse(v1.files.get('history.json')!).entries,
  );
  const feeds = [...v2.files.keys()].filter((f) => f.startsWith('feeds/') && f !== 'feeds/index.json');

  it('are written for the bundle and per source, owner, tag and audience, as all, major and withdrawn, in both formats', () => {
    for (const scope of [
      '',
      'source/nav/',
      'source/fjordvik/',
      'owner/nav/',
      'owner/fjordvik-kommune/',
      'tag/local-fjordvik/',
      'tag/ytelser-og-stotte/',
      'audience/parents/',
    ]) {
      for (const v of ['all', 'major', 'withdrawn'])
        for (const ext of ['json', 'xml']) expect(feeds, `${scope}${v}.${ext}`).toContain(`feeds/${scope}${v}.${ext}`);
    }
    const index = JSON.parse(v2.files.get('feeds/index.json')!);
    expect(index.feeds.length * 2).toBe(feeds.length);
  });

  it('are valid JSON Feed 1.1 and Atom (RFC 4287), every one of them', () => {
    for (const f of feeds) {
      if (f.endsWith('.json')) expect(() => assertJsonFeed(v2.files.get(f)!), f).not.toThrow();
      else expect(() => assertAtom(v2.files.get(f)!), f).not.toThrow();
    }
  });

  it('the validators reject what the specs forbid', () => {
    const good = JSON.parse(v2.files.get('feeds/all.json')!);
    expect(() => assertJsonFeed(JSON.stringify({ ...good, version: 'https://jsonfeed.org/version/1' }))).toThrow(/version/);
    expect(() => assertJsonFeed(JSON.stringify({ ...good, kind: 'x' }))).toThrow(/unknown key "kind"/);
    expect(() => assertJsonFeed(JSON.stringify({ ...good, items: [{ id: 'a' }] }))).toThrow(/content_html or content_text/);
    const atom = v2.files.get('feeds/all.xml')!;
    expect(() => assertAtom(atom.replace(/<updated>[^<]*<\/updated>/, ''))).toThrow(/exactly one <updated>/);
    expect(() =>
      assertAtom(atom.replace('<author><name>eti</name></author>', '').replace(/<author><name>[^<]*<\/name><\/author>/, '')),
    ).toThrow(/no author/);
    expect(() => assertAtom(atom.replace('&lt;script&gt;', '<script>'))).toThrow(/well-formed/);
  });

  it('follow a page through its life: added, changed with the note, withdrawn; the major feed leaves out the minor change', () => {
    const all = assertJsonFeed(v2.files.get('feeds/all.json')!).items as {
      url: string;
      _eti: { kind: string; note: string; credit: string; licence: string };
    }[];
    expect(all.filter((i) => i.url === nav.url).map((i) => [i._eti.kind, i._eti.note])).toEqual([
      ['updated', 'Ordlyden er rettet.'],
      ['added', 'Ny side.'],
    ]);
    expect(all.filter((i) => i.url === avl.url).map((i) => i._eti.kind)).toEqual(['withdrawn', 'added']);
    expect(all.every((i) => i._eti.licence && i._eti.credit)).toBe(true);
    const major = assertJsonFeed(v2.files.get('feeds/major.json')!).items as { url: string; _eti: { kind: string } }[];
    expect(major.some((i) => i._eti.kind === 'updated')).toBe(false);
    const withdrawn = assertAtom(v2.files.get('feeds/withdrawn.xml')!);
    expect(withdrawn.entries.map((e) => atomText(e, 'title'))).toEqual(['Trukket tilbake: Avlastning']);
    expect(atomText(withdrawn.entries[0]!, 'rights')).toBe('NLOD 2.0. Kilde: Fjordvik kommune.');
  });

  it('escape page text: <script> and ]]> stay text in both formats', () => {
    const atom = v2.files.get('feeds/all.xml')!;
    expect(atom).not.toContain('<script>');
    expect(atom).not.toContain(']]>');
    expect(atom).not.toContain('\u0001');
    const entry = assertAtom(atom).entries.find((e) => atomText(e, 'title').startsWith('Ny side: Ond'))!;
    expect(atomText(entry, 'title')).toBe('Ny side: Ond <script>alert(1)</script> ]]> & "sitat"');
    const json = assertJsonFeed(v2.files.get('feeds/all.json')!).items.find((i) => String(i.title).startsWith('Ny side: Ond'))!;
    expect(json.content_text).toContain('<script>alert(2)</script> og ]]>');
    expect(json.content_html).toBeUndefined();
  });
});
