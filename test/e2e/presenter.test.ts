/**
 * A presenter's view of the demo v1 → v2: everything asserted about the pages' lives is read from
 * the feeds and changes.json of the published bundles alone. The CLI runs in-process (crawl,
 * summarise, review, publish) against the embedded demo site on loopback; a webhook receiver on
 * loopback checks every signature.
 */
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { verifySignature } from '../../src/pipeline/channels/webhooks.js';
import { eti } from '../review/seed.js';
import { assertAtom, assertJsonFeed, atomText } from '../helpers/feed-validators.js';

const T1 = '2026-11-01T08:00:00.000Z';
const T2 = '2026-11-02T08:00:00.000Z';
const SECRET = 'demo-hemmelighet';
const NOTE = 'Satsene for grunnstønad og hjelpestønad er økt fra 1. januar 2026.';

type FeedItem = {
  id: string;
  url: string;
  title: string;
  _eti: { kind: string; note: string; is_major: boolean; credit: string; licence: string; source_url: string };
};

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('a presenter follows the demo v1 → v2 from the feeds and changes.json alone', () => {
  let server: DemoServer;
  let receiver: http.Server;
  const posts: { body: string; isValid: boolean }[] = [];
  let ws: string;
  let out: string;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        posts.push({
          body,
          isValid: verifySignature(
            String(req.headers['eti-signature']),
            SECRET,
            body,
            Math.floor(Date.parse(posts.length === 0 ? T1 : T2) / 1000),
          ),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    server = await startDemoServer({ version: 'v1', preferredPort: 0 });
    ws = await mkdtemp(path.join(os.tmpdir(), 'eti-presenter-'));
    out = path.join(ws, 'output');
    await prepareDemoWorkspace(ws, server.origin);
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/eti`;
    const yaml = await readFile(path.join(ws, 'sources.yaml'), 'utf8');
    await writeFile(
      path.join(ws, 'sources.yaml'),
      yaml.replace(
        /^defaults:/m,
        `publish:\n  webhooks:\n    - url: ${hook}\n      feed: all\n      secret_env: ETI_TEST_HOOK_SECRET\n      allow_private_network: true\ndefaults:`,
      ),
    );
    const env = { ETI_TEST_HOOK_SECRET: SECRET };

    for (const cmd of ['crawl', 'summarize']) expect((await eti([cmd, '-q', '-w', ws], { ETI_NOW: T1 })).code).toBe(0);
    const first = await eti(['review', 'approve', '--all', '--kind', 'new', '--as', 'Kari', '-q', '-w', ws], { ETI_NOW: T1 });
    expect(first.code, first.err).toBe(0);
    const p1 = await eti(['publish', '--site', '-w', ws], { ETI_NOW: T1, ...env });
    expect(p1.code, p1.err).toBe(0);
    v1 = path.join(out, (await readFile(path.join(out, 'LATEST'), 'utf8')).trim());

    server.setVersion('v2');
    for (const cmd of ['crawl', 'summarize']) expect((await eti([cmd, '-q', '-w', ws], { ETI_NOW: T2 })).code).toBe(0);
    const list = await eti(['review', 'list', '--json', '-w', ws], { ETI_NOW: T2 });
    const items = JSON.parse(list.out.trim().split('\n')[0]!).items as { id: string; url: string; kind: string }[];
    const rate = items.find((i) => i.url.endsWith('/nav/satser/grunn-og-hjelpestonad/') && i.kind === 'changed')!;
    const gone = items.find((i) => i.url.endsWith('/kommune/fjordvik/bpa/') && i.kind === 'removed')!;
    expect(rate && gone, JSON.stringify(items)).toBeTruthy();
    const a = await eti(['review', 'approve', rate.id, '--change-note', NOTE, '--major', '--as', 'Kari', '-w', ws], { ETI_NOW: T2 });
    expect(a.code, a.err).toBe(0);
    expect((await eti(['review', 'approve', gone.id, '--as', 'Kari', '-w', ws], { ETI_NOW: T2 })).code).toBe(0);
    const rest = await eti(['review', 'approve', '--all', '--kind', 'new', '--as', 'Kari', '-q', '-w', ws], { ETI_NOW: T2 });
    expect(rest.code, rest.err).toBe(0);
    const p2 = await eti(['publish', '--site', '-w', ws], { ETI_NOW: T2, ...env });
    expect(p2.code, p2.err).toBe(0);
    v2 = path.join(out, (await readFile(path.join(out, 'LATEST'), 'utf8')).trim());
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((r) => (receiver ? (receiver.closeAllConnections(), receiver.close(() => r())) : r()));
  });

  it("sees each page added, the rate page changed with the editor's note, and the BPA page withdrawn", async () => {
    expect(v2).not.toBe(v1);
    const changes = JSON.parse(await readFile(path.join(v2, 'changes.json'), 'utf8'));
    expect(changes.previousId).toBe(path.basename(v1));
    const updated = changes.updated.find((e: { url: string }) => e.url.endsWith('/nav/satser/grunn-og-hjelpestonad/'));
    expect(updated).toMatchObject({
      kind: 'updated',
      changeClass: 'material',
      isMajor: true,
      note: NOTE,
      licence: 'NLOD 2.0',
      credit: 'Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av NAV.',
    });
    expect(changes.withdrawn.map((e: { url: string }) => e.url)).toEqual([expect.stringMatching(/\/kommune\/fjordvik\/bpa\/$/)]);
    expect(changes.added.map((e: { url: string }) => e.url)).toContain(`${server.origin}/nav/ekstra-omsorgsdager/`);

    // The whole life, from the newest bundle's feed alone (JSON Feed and Atom say the same).
    const feed = assertJsonFeed(await readFile(path.join(v2, 'feeds/all.json'), 'utf8')).items as FeedItem[];
    const life = (suffix: string): string[] => feed.filter((i) => i._eti.source_url.endsWith(suffix)).map((i) => i._eti.kind);
    expect(life('/nav/satser/grunn-og-hjelpestonad/')).toEqual(['updated', 'added']);
    expect(life('/kommune/fjordvik/bpa/')).toEqual(['withdrawn', 'added']);
    expect(feed.find((i) => i._eti.kind === 'updated' && i.url.endsWith('/grunn-og-hjelpestonad/'))!._eti.note).toBe(NOTE);
    expect(feed.every((i) => i._eti.credit.length > 0 && i._eti.licence === 'NLOD 2.0')).toBe(true);
    const atom = assertAtom(await readFile(path.join(v2, 'feeds/all.xml'), 'utf8'));
    expect(atom.entries.map((e) => atomText(e, 'id'))).toEqual(feed.map((i) => i.id));
    // The v1 entries keep their ids in the v2 feed: a reader does not see them twice.
    const old = assertJsonFeed(await readFile(path.join(v1, 'feeds/all.json'), 'utf8')).items as FeedItem[];
    for (const i of old) expect(feed.map((f) => f.id)).toContain(i.id);
    // Per source: NAV's major feed has the change, Fjordvik's withdrawn feed the BPA page.
    const navMajor = assertJsonFeed(await readFile(path.join(v2, 'feeds/source/demo-nav/major.json'), 'utf8')).items as FeedItem[];
    expect(navMajor.some((i) => i._eti.kind === 'updated')).toBe(true);
    const withdrawn = assertJsonFeed(await readFile(path.join(v2, 'feeds/owner/fjordvik-kommune/withdrawn.json'), 'utf8'))
      .items as FeedItem[];
    expect(withdrawn.map((i) => i._eti.kind)).toEqual(['withdrawn']);
  });

  it('was told by webhook, once per bundle, signed', async () => {
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => p.isValid)).toBe(true);
    const second = assertJsonFeed(posts[1]!.body).items as FeedItem[];
    expect(second.map((i) => i._eti.kind).sort()).toEqual(expect.arrayContaining(['updated', 'withdrawn']));
    const listed = await eti(['publish', '--deliveries', '-w', ws]);
    expect(listed.code).toBe(0);
    expect(listed.out.trim().split('\n')).toHaveLength(2);
    expect(listed.out).toMatch(/delivered/);
  });

  it('gets byte-identical bundles and sites for the same store and previous bundle', async () => {
    const again = await mkdtemp(path.join(os.tmpdir(), 'eti-presenter-again-'));
    await cp(v1, path.join(again, path.basename(v1)), { recursive: true });
    await writeFile(path.join(again, 'LATEST'), `${path.basename(v1)}\n`);
    const r = await eti(['publish', '--site', '--out', again, '-w', ws], { ETI_NOW: T2, ETI_TEST_HOOK_SECRET: SECRET });
    expect(r.code, r.err).toBe(0);
    const mine = path.join(again, path.basename(v2));
    const files = await listFiles(v2);
    expect(await listFiles(mine)).toEqual(files);
    for (const f of files) expect(await readFile(path.join(mine, f), 'utf8'), f).toBe(await readFile(path.join(v2, f), 'utf8'));
    const siteFiles = await listFiles(path.join(out, 'site'));
    expect(await listFiles(path.join(again, 'site'))).toEqual(siteFiles);
    for (const f of siteFiles)
      expect(await readFile(path.join(again, 'site', f), 'utf8'), f).toBe(await readFile(path.join(out, 'site', f), 'utf8'));
  });
});
