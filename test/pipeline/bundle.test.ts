import { describe, expect, it } from 'vitest';
import { bundleFiles, escapeMarkdown, slugFor, type BundlePage } from '../../src/pipeline/publish/bundle.js';

const page = (over: Partial<BundlePage> = {}): BundlePage => ({
  url: 'https://www.nav.no/satser/grunnstonad',
  slug: slugFor(over.url ?? 'https://www.nav.no/satser/grunnstonad'),
  sourceId: 'nav',
  sourceName: 'NAV',
  owner: 'NAV',
  authority: 'primary',
  tags: ['nav'],
  audience: 'parents',
  title: 'Satser',
  lang: 'nb',
  summary: 'Grunnstønad sats 1 er 8 232 kroner i året.',
  isEdited: false,
  keyFacts: [{ fact: 'Sats 1 | 8 232 | 686', quote: 'Sats 1 | 8 232 | 686' }],
  appliesTo: '',
  howToApply: '',
  deadlines: [],
  contentHash: 'h',
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

describe('bundle files', () => {
  it('are deterministic whatever the input order, with a manifest of every file', () => {
    const a = page();
    const b = page({ url: 'https://kommune.example/avlastning', slug: slugFor('https://kommune.example/avlastning') });
    const one = bundleFiles([a, b]);
    const two = bundleFiles([b, a]);
    expect([...one.files.entries()]).toEqual([...two.files.entries()]);
    expect(one.bundle.id).toMatch(/^20260102-[0-9a-f]{12}$/);
    const manifest = JSON.parse(one.files.get('manifest.json')!);
    expect(Object.keys(manifest.files).sort()).toEqual([...one.files.keys()].filter((f) => f !== 'manifest.json').sort());
    expect(one.files.get(`pages/${a.slug}.md`)).toContain('source_url: https://www.nav.no/satser/grunnstonad');
  });

  it('lists the contact points', () => {
    const files = bundleFiles([page({ contacts: ['Telefon 55 55 33 33', '<b>post@nav.no</b>'] })]).files;
    const md = [...files.entries()].find(([f]) => f.startsWith('pages/'))![1];
    expect(md).toContain('## Kontakt\n\n- Telefon 55 55 33 33\n- &lt;b&gt;post@nav.no&lt;/b&gt;');
    expect(bundleFiles([page()]).files.get(`pages/${page().slug}.md`)).not.toContain('## Kontakt');
  });

  it('keeps page text from becoming HTML, and slugs inside pages/', () => {
    const files = bundleFiles([page({ summary: 'Hei <script>alert(1)</script> [lenke](javascript:x)' })]).files;
    const md = [...files.entries()].find(([f]) => f.startsWith('pages/'))![1];
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
    expect(escapeMarkdown('[x](y)')).toBe('\\[x\\](y)');
    for (const url of ['https://x.example/../../etc/passwd', 'https://x.example/a/..%2F..%2Fb', 'https://x.example/Æøå søknad']) {
      expect(slugFor(url)).toMatch(/^[a-z0-9-]+$/);
    }
    expect(slugFor('https://x.example/a')).not.toBe(slugFor('https://x.example/a?b=1'));
  });
});

describe('CHANGELOG.md', () => {
  const nav = page();
  const kommune = page({
    url: 'https://kommune.example/avlastning',
    slug: slugFor('https://kommune.example/avlastning'),
    title: 'Avlastning',
    owner: 'Fjordvik kommune',
    contentHash: 'k1',
  });
  const bpa = page({ url: 'https://kommune.example/bpa', slug: slugFor('https://kommune.example/bpa'), title: 'BPA', contentHash: 'b1' });

  it('says what was added, updated and withdrawn since the previous bundle', () => {
    const first = bundleFiles([nav, kommune]);
    expect(first.files.get('CHANGELOG.md')).toContain('Første publiserte pakke');
    const rate = {
      ...nav,
      contentHash: 'h2',
      changeClass: 'material' as const,
      changeSummary: 'Satsen er økt til 8 500 kroner.',
      approvedAt: '2026-02-01T00:00:00.000Z',
    };
    const second = bundleFiles([rate, bpa], first.bundle);
    const log = second.files.get('CHANGELOG.md')!;
    expect(second.bundle.previousId).toBe(first.bundle.id);
    expect(log).toContain(`Endringer fra pakke ${first.bundle.id} til ${second.bundle.id}.`);
    expect(log).toContain(`## Nye sider (1)\n\n- [BPA](pages/${bpa.slug}.md) (NAV)`);
    expect(log).toContain(
      `- [Satser](pages/${nav.slug}.md) (NAV): vesentlig endring, godkjent 2026-02-01 av Kari.\n  Satsen er økt til 8 500 kroner.`,
    );
    expect(log).toContain('## Fjernede sider (1)\n\n- Avlastning (Fjordvik kommune), <https://kommune.example/avlastning>');
    // Listed in the manifest, and the same inputs give the same bytes.
    expect(JSON.parse(second.files.get('manifest.json')!).files['CHANGELOG.md']).toMatch(/^[0-9a-f]{64}$/);
    expect([...bundleFiles([bpa, rate], first.bundle).files]).toEqual([...second.files]);
    // An edited summary alone is an update too; nothing changed says so.
    const edited = bundleFiles([{ ...rate, summary: 'Ny tekst.', isEdited: true }, bpa], second.bundle).files.get('CHANGELOG.md')!;
    expect(edited).toContain('sammendraget er redigert');
    expect(bundleFiles([rate, bpa], { ...second.bundle, id: 'x' }).files.get('CHANGELOG.md')).toContain('Ingen endringer i innholdet.');
  });

  it('escapes page text', () => {
    const evil = page({ title: '<img src=x onerror=alert(1)>' });
    const log = bundleFiles([evil], bundleFiles([]).bundle).files.get('CHANGELOG.md')!;
    expect(log).not.toContain('<img');
    expect(log).toContain('&lt;img');
  });
});

describe('published JSON Schemas', () => {
  it('schema/bundle.schema.json matches the zod schema', async () => {
    const { readFile } = await import('node:fs/promises');
    const { schemas } = await import('../../src/commands/schema.js');
    const committed = JSON.parse(await readFile(new URL('../../schema/bundle.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(schemas()['bundle.schema.json']);
  });
});
