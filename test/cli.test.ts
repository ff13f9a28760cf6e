import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { makePdf } from './helpers/pdf.js';
import type { Io } from '../src/steps/context.js';

function io(): Io & { out: string; err: string } {
  const o = { out: '', err: '' } as Io & { out: string; err: string };
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env: {},
    cwd: process.cwd(),
    isTTY: false,
  });
}

describe('eti CLI (in-process)', () => {
  it('every command has --help with examples', async () => {
    for (const cmd of [
      'init',
      'doctor',
      'browser',
      'crawl',
      'extract',
      'summarize',
      'diff',
      'review',
      'publish',
      'audit',
      'run',
      'demo',
      'schema',
    ]) {
      const t = io();
      expect(await main([cmd, '--help'], t)).toBe(0);
      expect(t.out, cmd).toContain('Examples:');
    }
    const t = io();
    expect(await main(['--help'], t)).toBe(0);
    expect(t.out).toContain('Exit codes:');
  });

  it('an unknown command or flag is a usage error (exit 2)', async () => {
    const a = io();
    expect(await main(['crawll'], a)).toBe(2);
    expect(a.err).toMatch(/unknown command 'crawll'/);
    const b = io();
    expect(await main(['crawl', '--nope'], b)).toBe(2);
  });

  it('a missing sources.yaml names the file', async () => {
    const t = io();
    expect(await main(['audit', '--workspace', '/nonexistent/ws'], t)).toBe(2);
    expect(t.err).toMatch(/^eti: \/nonexistent\/ws\/sources\.yaml: no such file\n/);
  });

  it('rejects a bad ETI_NOW with a one-line error', async () => {
    const t = io();
    t.env = { ETI_NOW: 'yesterday' };
    expect(await main(['audit'], t)).toBe(2);
    expect(t.err).toMatch(/ETI_NOW: expected an ISO date-time, got "yesterday"/);
  });
});

describe('eti extract', () => {
  const page = `<!doctype html><html lang="nb"><head><title>Grunnstønad</title></head><body>
    <div id="innhold"><h1>Grunnstønad</h1><p>Sats 1 er 8 232 kroner i året. Grunnstønad gis når du har ekstrautgifter på grunn av varig sykdom.</p>
    <p class="reklame">Last ned appen vår!</p></div><div id="annet"><p>${'En lang tekst om noe helt annet enn grunnstønad, som ikke er hovedinnholdet. '.repeat(8)}</p></div></body></html>`;

  async function workspace(extra = ''): Promise<string> {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-extract-'));
    await writeFile(path.join(ws, 'side.html'), page);
    await writeFile(
      path.join(ws, 'sources.yaml'),
      `version: 1\ncontact: test@example.org\nsources:\n  - { id: nav, name: NAV, owner: NAV, start_urls: ['https://www.nav.no/'], content_selector: '#innhold', remove: ['.reklame']${extra} }\n`,
    );
    return ws;
  }

  it("prints a file's Markdown with a source's content_selector and remove applied", async () => {
    const ws = await workspace();
    const t = io();
    t.cwd = ws;
    expect(await main(['extract', 'side.html', '--source', 'nav', '--base-url', 'https://www.nav.no/grunnstonad'], t)).toBe(0);
    expect(t.out).toBe(
      '# Grunnstønad\n\nSats 1 er 8 232 kroner i året. Grunnstønad gis når du har ekstrautgifter på grunn av varig sykdom.\n',
    );
    const j = io();
    j.cwd = ws;
    expect(await main(['extract', 'side.html', '--source', 'nav', '--json'], j)).toBe(0);
    expect(JSON.parse(j.out)).toMatchObject({ type: 'extracted', title: 'Grunnstønad', lang: 'nb', method: 'selector' });
  });

  it('fetches a URL (loopback allowed by the source) and reads a PDF', async () => {
    const pdf = makePdf([['Sats 1 er 8 232 kroner i året.']]);
    const server = http.createServer((req, res) =>
      req.url === '/a.pdf'
        ? res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf)
        : res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ws = await workspace(', allow_private_network: true');
      const t = io();
      t.cwd = ws;
      expect(await main(['extract', `${origin}/side`, '--source', 'nav', '--format', 'text'], t)).toBe(0);
      expect(t.out).toContain('Sats 1 er 8 232 kroner i året.');
      expect(t.out).not.toContain('Last ned appen');
      const p = io();
      p.cwd = ws;
      expect(await main(['extract', `${origin}/a.pdf`, '--source', 'nav', '-f', 'text'], p)).toBe(0);
      expect(p.out).toBe('Sats 1 er 8 232 kroner i året.\n');
      // Without a source that allows it, a private address is refused.
      const refused = io();
      refused.cwd = ws;
      expect(await main(['extract', `${origin}/side`], refused)).toBe(1);
      expect(refused.err).toMatch(/private|loopback/i);
    } finally {
      server.close();
    }
  });

  it('a missing file is exit 2 and a page without text exit 1, each with a one-line error naming it', async () => {
    const ws = await workspace();
    await writeFile(path.join(ws, 'tom.html'), '<html><body><nav><a href="/">Hjem</a></nav></body></html>');
    const a = io();
    a.cwd = ws;
    expect(await main(['extract', 'finnes-ikke.html'], a)).toBe(2);
    expect(a.err).toMatch(/^eti: finnes-ikke\.html: no such file\n/);
    const b = io();
    b.cwd = ws;
    expect(await main(['extract', 'tom.html'], b)).toBe(1);
    expect(b.err).toMatch(/^eti: tom\.html: /);
    const c = io();
    c.cwd = ws;
    expect(await main(['extract', 'side.html', '--base-url', 'www.nav.no'], c)).toBe(2);
    expect(c.err).toMatch(/^eti: --base-url: expected an http\(s\) or file URL, got "www\.nav\.no"\n/);
  });
});
