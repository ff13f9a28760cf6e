/** Sample published pages for channel and site tests, and two real bundles written with writeBundle. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BundlePage } from '../../src/pipeline/publish/bundle.js';
import { writeBundle } from '../../src/pipeline/publish/publish.js';

export const EVIL = 'Ond <script>alert(1)</script> ]]> & "sitat"';

/** One page with plausible defaults; `over` wins. */
export function samplePage(over: Partial<BundlePage> = {}): BundlePage {
  return {
    url: 'https://www.nav.no/satser/grunnstonad',
    slug: 'satser-grunnstonad',
    sourceId: 'nav',
    sourceName: 'NAV',
    owner: 'NAV',
    authority: 'primary',
    tags: ['nav', 'Ytelser og støtte'],
    audience: 'parents',
    title: 'Grunnstønad',
    lang: 'nb',
    summary: 'Grunnstønad sats 1 er 8 232 kroner i året. Du søker hos NAV.',
    isEdited: false,
    keyFacts: [{ fact: 'Sats 1 er 8 232 kroner i året.', quote: 'Sats 1 | 8 232 | 686' }],
    appliesTo: 'Familier med barn som har ekstra utgifter på grunn av sykdom.',
    howToApply: 'Søk digitalt på nav.no.',
    deadlines: ['Søk innen 3 måneder.'],
    contacts: ['Telefon 55 55 33 33'],
    contentHash: 'h1',
    fetchedAt: '2026-01-05T00:00:00.000Z',
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
  };
}

export const navPage = samplePage();
export const avlastning = samplePage({
  url: 'https://fjordvik.kommune.no/avlastning/',
  slug: 'avlastning',
  sourceId: 'fjordvik',
  sourceName: 'Fjordvik kommune',
  owner: 'Fjordvik kommune',
  tags: ['local:fjordvik', 'avlastning'],
  title: 'Avlastning',
  summary: 'Kommunen kan gi avlastning til foreldre med særlig tyngende omsorgsarbeid.',
  contentHash: 'a1',
  credit: 'Kilde: Fjordvik kommune.',
  licence: 'CC BY 4.0',
});
export const evilPage = samplePage({
  url: 'https://x.example/ond',
  slug: 'ond',
  sourceId: 'x',
  sourceName: 'X <b>kilde</b>',
  owner: 'X & Co',
  title: EVIL,
  summary: `Tekst med ${EVIL} i seg.`,
  keyFacts: [{ fact: EVIL, quote: `«${EVIL}»` }],
  tags: ['<script>x</script>'],
  contentHash: 'e1',
});

/**
 * Two bundles in a fresh output folder: v1 (grunnstønad, avlastning, the evil page), then v2
 * (grunnstønad changed with a note, avlastning withdrawn, the evil page kept). Returns v2's folder.
 */
export async function twoBundles(): Promise<{ outDir: string; v1: string; v2: string }> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'eti-channels-'));
  const v1 = await writeBundle([navPage, avlastning, evilPage], outDir, 5);
  const changed = {
    ...navPage,
    contentHash: 'h2',
    changeClass: 'material' as const,
    changeNote: 'Satsen er økt til 8 580 kroner i året.',
    isMajor: true,
    summary: 'Grunnstønad sats 1 er 8 580 kroner i året.',
    approvedAt: '2026-02-01T00:00:00.000Z',
  };
  const v2 = await writeBundle([changed, evilPage], outDir, 5);
  return { outDir, v1: v1.dir, v2: v2.dir };
}
