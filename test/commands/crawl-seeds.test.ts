import { describe, expect, it } from 'vitest';
import { checkSeedsInScope } from '../../src/steps/crawl.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const yaml = `version: 1
contact: test@example.org
sources:
  - id: nav
    name: NAV
    owner: NAV
    start_urls:
      - https://www.nav.no/pleiepenger
      - https://www.helsenorge.no/pleiepenger
    allowed_hosts: [www.nav.no]
  - id: hdir
    name: Helsedirektoratet
    owner: Hdir
    start_urls: ['https://www.helsedirektoratet.no/utkast/x']
    exclude: ['/utkast/']
`;

describe('a start URL out of its own source’s scope', () => {
  it('is a config error naming the file, line, source and URL', () => {
    const { sources } = parseConfig(yaml, '/tmp/ws/sources.yaml');
    const err = (() => {
      try {
        checkSeedsInScope(sources.slice(0, 1), '/tmp/ws/sources.yaml', yaml);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as ConfigError).message).toBe(
      "/tmp/ws/sources.yaml:9 sources[id=nav].start_urls[1]: https://www.helsenorge.no/pleiepenger is outside the source's own scope: its host is not in allowed_hosts (www.nav.no)",
    );
    expect(() => checkSeedsInScope(sources.slice(1), '/tmp/ws/sources.yaml', yaml)).toThrow(
      /sources\.yaml:14 sources\[id=hdir\]\.start_urls\[0\].*matches the source's exclude/,
    );
  });

  it('passes start URLs in scope (they need not match include)', () => {
    const { sources } = parseConfig(
      yaml.replace('    allowed_hosts: [www.nav.no]\n', '').replace("exclude: ['/utkast/']", "include: ['/rettigheter/']"),
      '/tmp/ws/sources.yaml',
    );
    expect(() => checkSeedsInScope(sources, '/tmp/ws/sources.yaml', yaml)).not.toThrow();
  });
});
