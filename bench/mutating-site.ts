/**
 * A loopback site whose pages change while it is crawled, and a check of a store against it: the
 * kill tests (test/pipeline/crawl-kill.test.ts, test/e2e/crash.test.ts) and `npm run bench:kills`
 * share them. Each page has a generation; its text names it (`Versjon <page>.<gen>:`) and its ETag
 * is `"<page>.<gen>"`, answered with 304 when it matches If-None-Match, so a store that saved a new
 * ETag without the new text keeps the old text for good: exactly the lost update of issue 15.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Store } from '../src/store/store.js';

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MutatingSiteOptions {
  pages: number;
  seed: number;
  /** Chance that a page request also bumps a random page's generation (a site changing mid-crawl). Default 0.1. */
  mutateChance?: number;
  /** Each answer waits this long (ms), so a crawl lasts long enough to be killed. Default 0. */
  delayMs?: number;
}

export interface MutatingSite {
  origin: string;
  pages: number;
  /** The path of page `i`. */
  path: (i: number) => string;
  /** The current generation of page `i`. */
  gen: (i: number) => number;
  /** Bump the generation of `n` random pages. */
  mutate: (n: number) => void;
  /** Stop changing pages during requests (before the checking crawl). */
  freeze: () => void;
  requests: () => number;
  close: () => Promise<void>;
}

const FILLER = 'Kommunen vurderer behovet i hvert enkelt tilfelle og fatter et skriftlig vedtak som kan påklages. ';

/** The sentence page `i` at generation `g` contains, and no other generation does. */
export function marker(i: number, g: number): string {
  return `Versjon ${i}.${g}: satsen er ${1000 + i * 10 + g} kroner.`;
}

/** Start the site on 127.0.0.1, port 0. */
export async function startMutatingSite(opts: MutatingSiteOptions): Promise<MutatingSite> {
  const gens = new Array<number>(opts.pages).fill(0);
  const random = rng(opts.seed);
  let chance = opts.mutateChance ?? 0.1;
  let requests = 0;
  const mutate = (n: number): void => {
    for (let k = 0; k < n; k++) gens[Math.floor(random() * opts.pages)]!++;
  };
  const server = http.createServer((req, res) => {
    requests++;
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/side\/(\d+)\/$/.exec(p);
    const i = m ? Number(m[1]) : -1;
    if (i >= 0 && random() < chance) mutate(1);
    const answer = (): void => {
      if (p === '/') {
        const links = gens.map((_, k) => `<li><a href="/side/${k}/">Side ${k}</a></li>`).join('');
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><html lang="nb"><head><title>Oversikt</title></head><body><main><h1>Oversikt</h1><p>${FILLER.repeat(6)}</p><ul>${links}</ul></main></body></html>`,
          );
        return;
      }
      if (i < 0 || i >= opts.pages) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('ikke funnet');
      // Read the generation when answering, not when the request came: what is served is what is checked.
      const g = gens[i]!;
      const etag = `"${i}.${g}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag })
        .end(
          `<!doctype html><html lang="nb"><head><title>Side ${i}</title></head><body><main><h1>Side ${i}</h1><p>${marker(i, g)} ${FILLER.repeat(5)}</p></main></body></html>`,
        );
    };
    if (opts.delayMs) setTimeout(answer, opts.delayMs);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pages: opts.pages,
    path: (i) => `/side/${i}/`,
    gen: (i) => gens[i]!,
    mutate,
    freeze: () => void (chance = 0),
    requests: () => requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** What a store holds compared with the site: pages missing, pages whose text is not the site's, blobs missing. */
export interface StoreCheck {
  missing: string[];
  differing: string[];
  missingBlobs: string[];
}

/**
 * Compare the store in `storeDir` (source `sourceId`) with the site now. Opening it throws for a
 * torn index file; every page's current text must carry its current generation's marker.
 */
export async function checkStore(storeDir: string, sourceId: string, site: MutatingSite): Promise<StoreCheck> {
  const store = await Store.open(storeDir);
  const out: StoreCheck = { missing: [], differing: [], missingBlobs: [] };
  for (let i = 0; i < site.pages; i++) {
    const url = `${site.origin}${site.path(i)}`;
    const page = await store.page(sourceId, url);
    const current = page?.versions[page.versions.length - 1];
    if (!current) {
      out.missing.push(url);
      continue;
    }
    const text = await store.blobs.get(current.contentHash);
    if (text === undefined || (await store.blobs.get(current.markdownHash)) === undefined) out.missingBlobs.push(url);
    if (!text?.includes(marker(i, site.gen(i)))) out.differing.push(url);
  }
  return out;
}
