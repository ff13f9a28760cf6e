/**
 * The demo's topics end to end, in-process: `eti demo` compiles at least three topic pages, each
 * from the approved pages of at least two sources, approves and publishes them (every claim
 * supported by a member span); the v2 run recompiles none (their members' approved text did not
 * change); `eti site` shows each with its sources.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eti } from '../review/seed.js';

// The barnekoordinator topic's helsenorge member is rendered by JavaScript: without a browser it is
// not crawled, and that topic has one source only (as `eti demo` then says).
const hasChromium = existsSync(process.env.ETI_CHROMIUM ?? '/usr/bin/chromium');
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1') throw new Error('ETI_REQUIRE_BROWSER=1 but no Chromium');

describe.skipIf(!hasChromium)('eti demo: topics', () => {
  it('publishes at least three topics compiled across at least two sources each, and shows them on the site', async () => {
    const ws = path.join(await mkdtemp(path.join(os.tmpdir(), 'eti-demo-topics-')), 'demo');
    const r = await eti(['demo', '-w', ws, '--port', '0']);
    expect(r.code, r.err).toBe(0);
    // v1: compiled once after the approvals; v2 changed no approved member, so no call.
    expect(r.out).toContain('Topics: 3 LLM calls, 0 unchanged, 3 compiled for review');
    expect(r.out).toContain('Topics: 0 LLM calls, 3 unchanged, 0 compiled for review');
    const out = path.join(ws, 'output');
    const id = (await readFile(path.join(out, 'LATEST'), 'utf8')).trim();
    const bundle = JSON.parse(await readFile(path.join(out, id, 'bundle.json'), 'utf8')) as {
      topics: { slug: string; members: { sourceId: string }[]; claims: { verdict: string; spans: unknown[] }[]; isGrounded: boolean }[];
    };
    expect(bundle.topics.length).toBeGreaterThanOrEqual(3);
    for (const t of bundle.topics) {
      expect(new Set(t.members.map((m) => m.sourceId)).size, t.slug).toBeGreaterThanOrEqual(2);
      expect(t.isGrounded, t.slug).toBe(true);
      expect(
        t.claims.every((c) => c.verdict === 'supported' && c.spans.length > 0),
        t.slug,
      ).toBe(true);
    }
    expect((await eti(['site', '-w', ws])).code).toBe(0);
    const tema = await readFile(path.join(out, 'site', 'tema.html'), 'utf8');
    for (const t of bundle.topics) {
      expect(tema).toContain(`href="temaside/${t.slug}.html"`);
      expect(await readFile(path.join(out, 'site', 'temaside', `${t.slug}.html`), 'utf8')).toContain('<h2>Kilder</h2>');
    }
  }, 300_000); // crawls the demo site twice: a minute on a loaded machine, never a timing assertion
});
