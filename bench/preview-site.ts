/**
 * `npm run bench:site`: `eti site` on a synthetic bundle of 5,000 pages (20 sources, 60 tags,
 * Norwegian text with key facts and quotes, a previous bundle so history and «Hva er nytt» are
 * full). Prints the time to render and write the site, its size, the largest HTML file and the
 * search index's size. Target: under 30 s; every HTML file under 100 KB.
 *
 * Usage: node dist/bench/preview-site.js [--pages 5000]
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.js';
import type { BundlePage } from '../src/pipeline/publish/bundle.js';
import { writeBundle } from '../src/pipeline/publish/publish.js';

function pages(n: number, version: number): BundlePage[] {
  return Array.from({ length: n }, (_, i) => {
    const source = i % 20;
    const rate = 8232 + (version === 2 && i % 10 === 0 ? 348 : 0);
    return {
      url: `https://kilde${source}.example/tjenester/side-${i}/`,
      slug: '',
      sourceId: `kilde-${source}`,
      sourceName: `Kilde ${source}`,
      owner: `Etat ${source % 7}`,
      authority: 'primary',
      tags: [`tema-${i % 60}`, `tema-${(i * 7) % 60}`, 'barn og familie'],
      audience: (['parents', 'youth', 'professionals'] as const)[i % 3]!,
      title: `Stønad nummer ${i} – hjelp til familier med barn som trenger ekstra oppfølging`,
      lang: 'nb',
      summary: `Du kan få stønad nummer ${i} når barnet ditt trenger ekstra tilsyn og pleie. Sats 1 er ${rate} kroner i året. Du søker hos kommunen eller NAV, og du må legge ved legeerklæring. Svaret kommer vanligvis innen åtte uker.`,
      isEdited: false,
      keyFacts: [
        { fact: `Sats 1 er ${rate} kroner i året.`, quote: `Sats 1 | ${rate} | ${Math.round(rate / 12)}` },
        { fact: 'Gjelder barn under 18 år.', quote: 'Ordningen gjelder barn under 18 år som har en varig sykdom.' },
        { fact: 'Du må legge ved legeerklæring.', quote: 'Søknaden må inneholde en legeerklæring som ikke er eldre enn tre måneder.' },
      ],
      appliesTo: 'Foreldre til barn med varig sykdom eller funksjonsnedsettelse.',
      howToApply: 'Søk digitalt, eller send skjemaet i posten.',
      deadlines: ['Søk innen tre måneder etter at behovet oppsto.'],
      contacts: ['Telefon 55 55 33 33'],
      ...(version === 2 && i % 10 === 0
        ? { changeClass: 'material' as const, changeNote: `Satsen er økt til ${rate} kroner.`, isMajor: true }
        : {}),
      contentHash: `h${i}-${version === 2 && i % 10 === 0 ? 2 : 1}`,
      fetchedAt: '2026-11-20T00:00:00.000Z',
      changedAt: '2026-11-01T00:00:00.000Z',
      approvedAt: version === 2 && i % 10 === 0 ? '2026-11-20T00:00:00.000Z' : '2026-11-02T00:00:00.000Z',
      approvedBy: 'Kari',
      provider: 'offline',
      model: 'extractive-v1',
      promptHash: 'p',
      isGrounded: true,
      licence: 'NLOD 2.0',
      credit: `Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av Etat ${source % 7}.`,
    } as BundlePage;
  }).map((p, i) => ({ ...p, slug: `side-${i}` }));
}

async function sizes(dir: string): Promise<{ files: number; bytes: number; largestHtml: { file: string; bytes: number } }> {
  let bytes = 0;
  let files = 0;
  let largestHtml = { file: '', bytes: 0 };
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const size = (await stat(file)).size;
    files++;
    bytes += size;
    if (e.name.endsWith('.html') && size > largestHtml.bytes) largestHtml = { file: path.relative(dir, file), bytes: size };
  }
  return { files, bytes, largestHtml };
}

async function run(): Promise<void> {
  const n = Number(process.argv[process.argv.indexOf('--pages') + 1] || 0) || 5000;
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-bench-site-'));
  const out = path.join(ws, 'output');
  try {
    let t = performance.now();
    await writeBundle(pages(n, 1), out, 5);
    const v2 = await writeBundle(pages(n, 2), out, 5);
    const publishMs = performance.now() - t;
    const io = { stdout: () => undefined, stderr: (s: string) => void process.stderr.write(s), env: {}, cwd: ws, isTTY: false };
    t = performance.now();
    const code = await main(['site', '-w', ws, '--quiet'], io);
    const siteMs = performance.now() - t;
    if (code !== 0) throw new Error(`eti site exited ${code}`);
    const s = await sizes(path.join(out, 'site'));
    const index = (await stat(path.join(out, 'site', 'sok', 'indeks.json'))).size;
    const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
    console.log(`bundle: ${n} pages, two bundles published in ${(publishMs / 1000).toFixed(1)} s (${v2.bundle.id})`);
    console.log(`eti site: ${(siteMs / 1000).toFixed(1)} s (target < 30 s) — ${s.files} files, ${mb(s.bytes)}`);
    console.log(
      `largest HTML file: ${s.largestHtml.file} ${(s.largestHtml.bytes / 1024).toFixed(1)} KB (target < 100 KB); search index ${mb(index)} (loaded only on search)`,
    );
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}

await run();
