/**
 * A loopback site for the nightly run over hostile pages (issue 15), shared by `npm run
 * bench:hostile` (bench/hostile-nightly.ts) and its CI test (test/e2e/hostile-nightly.test.ts):
 * ordinary pages with figures to summarise, and, unless `hostile` is false, a page of 20,000
 * nested elements, one of 5,000 links, a stalled body, a gzip bomb, a 50 MB body, a connection
 * reset mid-body, a redirect to another host, and pages in windows-1252 with and without a
 * declared charset. `checkHostileStore` reads what a crawl stored for each of them.
 */
import { cp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Store } from '../src/store/store.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** What each hostile page may end as: `text` (stored, with its marker and no broken characters) or a failure code. */
export const HOSTILE_OUTCOMES: Record<string, string[]> = {
  '/dyp/': ['text', 'extract-timeout'],
  '/lenker/': ['text', 'extract-timeout'],
  '/stopp/': ['timeout'],
  '/bombe/': ['too-large'],
  '/stor/': ['too-large'],
  '/reset/': ['network'],
  '/ut/': ['redirect-out-of-scope'],
  '/cp1252/': ['text'],
  '/udeklarert/': ['text'],
};

/** The sentence each text page carries, as the pages say it. */
const SENTENCES: Record<string, string> = {
  '/dyp/': 'Grunnstønad sats 1 er 8 232 kroner i året',
  '/lenker/': 'Lenkesiden om hjelpestønad har 5 000 lenker',
  '/cp1252/': 'Søknad om støttekontakt – «svar innen 14 dager» for æøå',
  '/udeklarert/': 'Søknad om avlastning – svar innen 21 dager for æøå',
};

/**
 * The sentences as stored text has them: extraction writes dashes as "-" and «» as '"'; a
 * windows-1252 byte decoded wrong leaves U+FFFD, a C1 control or a lost letter instead.
 */
export const MARKERS: Record<string, string> = Object.fromEntries(
  Object.entries(SENTENCES).map(([p, s]) => [p, s.replace(/–/g, '-').replace(/[«»]/g, '"')]),
);

const PARA = (i: number): string =>
  `Du kan ha rett til pleiepenger når barnet ditt er sykt og trenger tilsyn. Satsen for side ${i} er ${1000 + i} kroner i måneden, og du søker hos NAV.`;

const page = (title: string, body: string, head = ''): string =>
  `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body><main><h1>${title}</h1>${body}</main></body></html>`;

/** Ordinary page `i`: three paragraphs, one of them written by a small script (so browser mode renders something). */
function ordinary(i: number): string {
  return page(
    `Pleiepenger ${i}`,
    `<p>${PARA(i)}</p><p>Vedtaket kommer innen ${10 + (i % 20)} dager etter at søknaden er mottatt.</p><div id="tillegg"></div>` +
      `<script>document.getElementById('tillegg').innerHTML = '<p>Ta kontakt med NAV på telefon 55 55 33 33 hvis du har spørsmål.</p>';</script>`,
  );
}

/** windows-1252 bytes of `s` (the letters used here: ø, å, æ, –, «, »). */
function cp1252(s: string): Buffer {
  const map: Record<string, number> = { '–': 0x96, '«': 0xab, '»': 0xbb };
  return Buffer.from([...s].map((c) => map[c] ?? c.charCodeAt(0)));
}

function hostileRoutes(otherOrigin: string): Record<string, Handler> {
  const send =
    (body: string | Buffer, type = 'text/html; charset=utf-8'): Handler =>
    (_q, r) =>
      void r.writeHead(200, { 'content-type': type }).end(body);
  const links = Array.from({ length: 5000 }, (_, k) => `<li><a href="/lenke/${k}/">Lenke nummer ${k}</a></li>`).join('');
  return {
    '/dyp/': send(page('Dyp side', `${'<div>'.repeat(20_000)}<p>${SENTENCES['/dyp/']}.</p>${'</div>'.repeat(20_000)}`)),
    '/lenker/': send(page('Lenker', `<p>${SENTENCES['/lenker/']}.</p><ul>${links}</ul>`)),
    '/stopp/': (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      r.write('<!doctype html><html><body><p>Start');
    },
    '/bombe/': (() => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
      return (_q: http.IncomingMessage, r: http.ServerResponse) =>
        void r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
    })(),
    '/stor/': (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < 50) {
          sent++;
          if (!r.write(chunk)) return void r.once('drain', pump);
        }
        r.end();
      };
      r.on('close', () => (sent = 50));
      pump();
    },
    '/reset/': (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '20000' });
      r.write(`<!doctype html><html><body><main><p>${'Halv side. '.repeat(900)}`);
      setImmediate(() => r.socket?.resetAndDestroy());
    },
    '/ut/': (_q, r) => void r.writeHead(302, { location: `${otherOrigin}/` }).end(),
    '/cp1252/': send(
      cp1252(
        page('Støttekontakt', `<p>${SENTENCES['/cp1252/']}.</p><p>${PARA(1)}</p>`).replace(
          '<meta charset="utf-8">',
          '<meta charset="windows-1252">',
        ),
      ),
      'text/html',
    ),
    '/udeklarert/': send(
      cp1252(page('Avlastning', `<p>${SENTENCES['/udeklarert/']}.</p><p>${PARA(2)}</p>`).replace('<meta charset="utf-8">', '')),
      'text/html',
    ),
  };
}

export interface HostileSite {
  origin: string;
  /** The origin of the other host `/ut/` redirects to; a request there is a scope failure. */
  otherOrigin: string;
  /** Requests that reached the other host (must stay 0). */
  otherHits: () => number;
  close: () => Promise<void>;
}

/** Serve `pages` ordinary pages, linked from `/`, and the hostile pages unless `hostile` is false. */
export async function startHostileSite(opts: { pages: number; hostile?: boolean }): Promise<HostileSite> {
  let otherHits = 0;
  const other = http.createServer((_q, r) => {
    otherHits++;
    r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Annet nettsted', '<p>Utenfor.</p>'));
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  // Another host name for the same machine: out of the source's allowed hosts.
  const otherOrigin = `http://localhost:${(other.address() as AddressInfo).port}`;
  const routes: Record<string, Handler> = opts.hostile === false ? {} : hostileRoutes(otherOrigin);
  const ordinaryPaths = Array.from({ length: opts.pages }, (_, i) => `/side/${i}/`);
  const index = page('Oversikt', [...ordinaryPaths, ...Object.keys(routes)].map((p) => `<p><a href="${p}">${p}</a></p>`).join(''));
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/side\/(\d+)\/$/.exec(p);
    if (p === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(index);
    if (m && Number(m[1]) < opts.pages)
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ordinary(Number(m[1])));
    const h = routes[p];
    if (h) return h(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('finnes ikke');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = (s: http.Server): Promise<void> =>
    new Promise((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    otherOrigin,
    otherHits: () => otherHits,
    close: async () => void (await Promise.all([close(server), close(other)])),
  };
}

/** A workspace in `ws` for a nightly run over the site in `render` mode: sources.yaml and the package's prompts (from `root`). */
export async function prepareHostileWorkspace(ws: string, origin: string, render: 'http' | 'browser', root: string): Promise<void> {
  await writeFile(path.join(ws, 'sources.yaml'), hostileSourcesYaml(origin, render));
  await cp(path.join(root, 'prompts'), path.join(ws, 'prompts'), { recursive: true });
}

/** sources.yaml for a nightly run over the site in `render` mode (`/lenke/` links are out of scope: 5,000 pages nobody asked for). */
export function hostileSourcesYaml(origin: string, render: 'http' | 'browser', timeoutMs = 3000): string {
  return `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: ${render}, use_sitemap: false, respect_robots: false, max_depth: 1, timeout_ms: ${timeoutMs}, max_bytes: 2000000 }
sources:
  - { id: fiendtlig, name: Fiendtlig nettsted, owner: Test, start_urls: ['${origin}/'], exclude: ['/lenke/'] }
`;
}

export interface HostileOutcome {
  path: string;
  /** `text`, or the code of the recorded failure, or `missing` when the store has no record of it. */
  outcome: string;
  /** Is the outcome one of those allowed for the page (`HOSTILE_OUTCOMES`)? */
  ok: boolean;
  /** Why it is not ok, when it is not. */
  why?: string;
}

/**
 * What the store at `dir` holds for each hostile page of the site at `origin`. In browser mode the
 * 20,000-deep and 5,000-link pages may also end as `timeout`: Chromium rendering them past the
 * source's `timeout_ms` is the browser's deadline, recorded like the extraction's.
 */
export async function checkHostileStore(
  dir: string,
  origin: string,
  render: 'http' | 'browser',
  sourceId = 'fiendtlig',
): Promise<HostileOutcome[]> {
  const store = await Store.open(dir);
  const out: HostileOutcome[] = [];
  for (const [p, outcomes] of Object.entries(HOSTILE_OUTCOMES)) {
    const allowed = render === 'browser' && outcomes.includes('extract-timeout') ? [...outcomes, 'timeout'] : outcomes;
    const rec = await store.page(sourceId, `${origin}${p}`);
    const last = rec?.versions.at(-1);
    let outcome = rec?.lastFailure?.code ?? (last ? 'text' : 'missing');
    let why: string | undefined;
    if (outcome === 'text' && last) {
      const text = (await store.blobs.get(last.contentHash)) ?? '';
      if (MARKERS[p] && !text.includes(MARKERS[p]!)) why = `stored text lacks «${MARKERS[p]}»: ${JSON.stringify(text.slice(0, 200))}`;
      else if (/[\uFFFD\u0080-\u009F]/.test(text)) why = 'stored text has U+FFFD or a C1 control character';
      if (why) outcome = 'bad-text';
    }
    const ok = allowed.includes(outcome);
    out.push({ path: p, outcome, ok, ...(ok ? {} : { why: why ?? `expected ${allowed.join(' or ')}` }) });
  }
  return out;
}
