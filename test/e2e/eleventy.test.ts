/**
 * The bundle's Markdown and index.json in a real static-site generator: Eleventy (from npm, a
 * devDependency) builds a site from pages/*.md with a layout that prints the front matter's title
 * as the one H1, and a listing page from index.json as a global data file.
 */
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
// @ts-expect-error: @11ty/eleventy ships no type declarations
import Eleventy from '@11ty/eleventy';
import { describe, expect, it } from 'vitest';
import { twoBundles } from '../helpers/channel-bundle.js';

describe('a static-site generator builds the bundle', () => {
  it('Eleventy renders every page (one H1, front matter fields) and a list from index.json', async () => {
    const { v2, outDir } = await twoBundles();
    const input = path.join(outDir, 'eleventy-src');
    const output = path.join(outDir, 'eleventy-out');
    await cp(path.join(v2, 'pages'), path.join(input, 'pages'), { recursive: true });
    await mkdir(path.join(input, '_data'), { recursive: true });
    await cp(path.join(v2, 'index.json'), path.join(input, '_data', 'eti.json'));
    await mkdir(path.join(input, '_includes'), { recursive: true });
    await writeFile(
      path.join(input, '_includes', 'side.njk'),
      '<!doctype html><html lang="nb"><head><title>{{ title }}</title><meta name="description" content="{{ description }}"></head>' +
        '<body><h1>{{ title }}</h1><p class="kilde">{{ source_url }} · {{ owner }} · {{ licence }} · {{ credit }} · {{ lastmod }}</p>{{ content | safe }}</body></html>',
    );
    await writeFile(
      path.join(input, 'index.njk'),
      '---\npermalink: /index.html\nlayout: false\n---\n<ul>{% for p in eti.pages %}<li><a href="/sider/{{ p.slug }}/">{{ p.title }}</a> {{ p.date }}</li>{% endfor %}</ul>',
    );
    // Layout and permalink for the pages as global data (the index page overrides both).
    const elev = new Eleventy(input, output, {
      quietMode: true,
      config: (c: { addGlobalData: (k: string, v: unknown) => void }) => {
        c.addGlobalData('layout', 'side.njk');
        c.addGlobalData('permalink', '/sider/{{ slug }}/');
      },
    });
    await elev.write();

    const index = JSON.parse(await readFile(path.join(v2, 'index.json'), 'utf8')) as { pages: { slug: string; title: string }[] };
    expect(index.pages.map((p) => p.slug)).toEqual(['ond', 'satser-grunnstonad']);
    const built = (await readdir(path.join(output, 'sider'))).sort();
    expect(built).toEqual(index.pages.map((p) => p.slug));
    const nav = await readFile(path.join(output, 'sider', 'satser-grunnstonad', 'index.html'), 'utf8');
    expect(nav.match(/<h1>/g)).toHaveLength(1); // the body does not repeat the title
    expect(nav).toContain('<h1>Grunnstønad</h1>');
    expect(nav).toContain(
      'https://www.nav.no/satser/grunnstonad · NAV · NLOD 2.0 · Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av NAV.',
    );
    expect(nav).toContain('<h2>Viktige fakta</h2>');
    const evil = await readFile(path.join(output, 'sider', 'ond', 'index.html'), 'utf8');
    expect(evil).not.toContain('<script>');
    const list = await readFile(path.join(output, 'index.html'), 'utf8');
    expect(list).toContain('<a href="/sider/satser-grunnstonad/">Grunnstønad</a>');
  });
});
