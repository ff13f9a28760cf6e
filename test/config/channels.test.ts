import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { eti } from '../review/seed.js';

const base = (publish: string, extra = ''): string => `version: 1
contact: redaksjon@example.org
${publish}
sources:
  - id: nav
    name: NAV
    owner: NAV
    start_urls: [https://www.nav.no/satser]
    tags: [ytelser]
  - id: fjordvik
    name: Fjordvik
    owner: Fjordvik kommune
    start_urls: [https://fjordvik.example/]
${extra}`;

const hook = (over: string): string => `publish:
  webhooks:
    - url: https://mottak.example/eti
      secret_env: ETI_HOOK
${over}`;

function errorOf(text: string): string {
  try {
    parseConfig(text, 'sources.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('licence and credit', () => {
  it('default to NLOD 2.0 and the NLOD credit line naming the owner; a source may set its own', () => {
    const { sources } = parseConfig(
      base('', "    licence: CC BY 4.0\n    credit: 'Kilde: Fjordvik kommune, fjordvik.example.'"),
      'sources.yaml',
    );
    expect(sources[0]).toMatchObject({
      licence: 'NLOD 2.0',
      credit: 'Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av NAV.',
    });
    expect(sources[1]).toMatchObject({ licence: 'CC BY 4.0', credit: 'Kilde: Fjordvik kommune, fjordvik.example.' });
    const other = parseConfig(base('', '    licence: CC BY 4.0'), 'sources.yaml').sources[1]!;
    expect(other.credit).toBe('Kilde: Fjordvik kommune.');
  });
});

describe('publish.webhooks', () => {
  it('accepts the feeds the bundle writes and fills defaults', () => {
    const { config } = parseConfig(base(hook('      feed: source/nav/major')), 'sources.yaml');
    expect(config.publish.webhooks[0]).toEqual({
      url: 'https://mottak.example/eti',
      feed: 'source/nav/major',
      secret_env: 'ETI_HOOK',
      timeout_ms: 10_000,
      max_attempts: 5,
      allow_private_network: false,
    });
    for (const feed of ['all', 'withdrawn', 'owner/fjordvik-kommune/all', 'tag/ytelser/withdrawn', 'audience/parents/major']) {
      expect(() => parseConfig(base(hook(`      feed: ${feed}`)), 'sources.yaml'), feed).not.toThrow();
    }
  });

  it('refuses an unknown feed, a plain-http URL and a bad variable name, each with file:line', () => {
    expect(errorOf(base(hook('      feed: source/statped/all')))).toBe(
      'sources.yaml:7 publish.webhooks[0].feed: unknown feed "source/statped/all" (expected e.g. "all", "major", "withdrawn" or "source/<id>/all")',
    );
    expect(errorOf(base(hook('').replace('https://mottak', 'http://mottak')))).toBe(
      'sources.yaml:5 publish.webhooks[0].url: expected an https URL, got "http://mottak.example/eti" (plain http only with allow_private_network: true)',
    );
    expect(() =>
      parseConfig(base(hook('      allow_private_network: true').replace('https://mottak', 'http://mottak')), 'sources.yaml'),
    ).not.toThrow();
    expect(errorOf(base(hook('').replace('ETI_HOOK', 'min hemmelighet')))).toMatch(
      /^sources\.yaml:6 publish\.webhooks\[0\]\.secret_env: expected an environment variable name/,
    );
    expect(errorOf(base(hook('      retries: 3')))).toMatch(/^sources\.yaml:7 publish\.webhooks\[0\]\.retries: unknown field "retries"/);
  });

  it('a secret variable that is not set is a config error naming its line, before anything is published', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-hooks-'));
    await writeFile(path.join(ws, 'sources.yaml'), base(hook('')));
    const r = await eti(['publish', '-w', ws]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('sources.yaml:6 publish.webhooks[0].secret_env: environment variable ETI_HOOK is not set');
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(ws)).not.toContain('output');
  });
});
