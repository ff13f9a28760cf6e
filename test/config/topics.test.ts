import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError, ExitCode } from '../../src/errors.js';

const base = `version: 1
contact: redaksjon@example.org
sources:
  - id: nav
    name: NAV
    owner: NAV
    start_urls: [https://www.nav.no/pleiepenger]
    tags: [ytelser]
  - id: fjordvik
    name: Fjordvik
    owner: Fjordvik kommune
    start_urls: [https://fjordvik.example/avlastning/]
    tags: [avlastning]
`;

function withTopics(topics: string): string {
  return `${base}topics:\n${topics}`;
}

function messageOf(text: string): { message: string; details: string[] } {
  try {
    parseConfig(text, 'sources.yaml');
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.exitCode).toBe(ExitCode.usage);
      return { message: err.message, details: [...(err.details ?? [])] };
    }
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('topics in sources.yaml', () => {
  it('accepts members by tag, source and URL pattern, with audiences defaulting to parents', () => {
    const { config } = parseConfig(
      withTopics(`  - id: avlastning
    title: Avlastning
    members:
      tags: [avlastning]
      sources: [nav]
      urls: ['^https://www\\.nav\\.no/pleiepenger']
`),
      'sources.yaml',
    );
    expect(config.topics).toEqual([
      {
        id: 'avlastning',
        title: 'Avlastning',
        audiences: ['parents'],
        members: { tags: ['avlastning'], sources: ['nav'], urls: ['^https://www\\.nav\\.no/pleiepenger'] },
      },
    ]);
  });

  it('a file without topics has none', () => {
    expect(parseConfig(base, 'sources.yaml').config.topics).toEqual([]);
  });

  it('names the line of an unknown source', () => {
    const { message } = messageOf(
      withTopics(`  - id: a
    title: A
    members:
      sources: [nva]
`),
    );
    expect(message).toBe('sources.yaml:18 topics[0].members.sources[0]: unknown source "nva"');
  });

  it('names the line of an unknown tag', () => {
    const { message } = messageOf(
      withTopics(`  - id: a
    title: A
    members:
      tags: [avlastnig]
`),
    );
    expect(message).toBe('sources.yaml:18 topics[0].members.tags[0]: no source has the tag "avlastnig"');
  });

  it('an empty topic is an error at its members line', () => {
    const { message } = messageOf(
      withTopics(`  - id: a
    title: A
    members: {}
`),
    );
    expect(message).toBe('sources.yaml:17 topics[0].members: empty topic: give at least one of tags, sources or urls');
  });

  it('a duplicate id names both', () => {
    const { message } = messageOf(
      withTopics(`  - id: a
    title: A
    members: { sources: [nav] }
  - id: a
    title: B
    members: { sources: [fjordvik] }
`),
    );
    expect(message).toBe('sources.yaml:18 topics[1].id: duplicate topic id "a" (also topics[0])');
  });

  it('a URL pattern on an origin no source crawls is an error; one without an origin waits for the store', () => {
    const { message } = messageOf(
      withTopics(`  - id: a
    title: A
    members:
      urls: ['^https://www\\.nav\\.nu/pleiepenger']
`),
    );
    expect(message).toBe(
      'sources.yaml:18 topics[0].members.urls[0]: the pattern "^https://www\\.nav\\.nu/pleiepenger" names no origin any source crawls (https://fjordvik.example, https://www.nav.no)',
    );
    expect(() =>
      parseConfig(withTopics(`  - id: a\n    title: A\n    members:\n      urls: ['/pleiepenger']\n`), 'sources.yaml'),
    ).not.toThrow();
  });

  it('an invalid pattern and an unknown field are errors with their lines', () => {
    const { message, details } = messageOf(
      withTopics(`  - id: a
    title: A
    audience: [youth]
    members:
      urls: ['(']
`),
    );
    expect(message).toBe('sources.yaml:19 topics[0].members.urls[0]: not a valid regular expression (and 1 more)');
    expect(details).toEqual(['sources.yaml:17 topics[0].audience: unknown field "audience" (did you mean "audiences"?)']);
  });
});
