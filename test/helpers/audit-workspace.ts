/** A workspace with sources.yaml and a real Store seeded with history, for the audit's tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Io } from '../../src/steps/context.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import type { PageRecord, VersionRecord } from '../../src/store/records.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { versionRecord } from './version-record.js';

/** The clock of every audit test: Monday 2 March 2026, noon UTC. */
export const NOW = '2026-03-02T12:00:00.000Z';

/** A title that must render as text, never as markup. */
export const EVIL_TITLE = '<script>alert(1)</script> "Satser", 2026\nny linje';

export function io(cwd: string, env: Record<string, string> = { ETI_NOW: NOW }): Io & { out: string; err: string } {
  const o = { out: '', err: '' } as Io & { out: string; err: string };
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env,
    cwd,
    isTTY: false,
  });
}

const version = (hash: string, at: string, over: Partial<VersionRecord> = {}): VersionRecord =>
  versionRecord(hash, at, { markdownHash: 'none', rawHash: 'r', title: `Side ${hash}`, ...over });

function page(sourceId: string, url: string, over: Partial<PageRecord>): PageRecord {
  return {
    url,
    sourceId,
    finalUrl: url,
    redirects: [],
    depth: 0,
    firstSeenAt: '2026-01-05T08:00:00.000Z',
    consecutiveFailures: 0,
    versions: [],
    ...over,
  };
}

const item = (sourceId: string, url: string, hash: string, over: Partial<ReviewItem>): ReviewItem => ({
  id: `${sourceId}-${hash}`,
  sourceId,
  url,
  kind: 'new',
  contentHash: hash,
  status: 'pending',
  createdAt: '2026-01-05T08:00:00.000Z',
  ...over,
});

/**
 * Two sources. `nav` (SLA 7 days, page dates older than 100 days are outdated) on `origin`:
 * `/a` fetched yesterday, changed twice, page date 2025-01-01, a changed item pending 14 days
 * (SLA 5 from `defaults:`), its content links to `/b` (removed), `/c`, `/d` (unknown), `/e` and an
 * out-of-scope host; `/b` removed; `/c` redirected, with `EVIL_TITLE`, approved; `/f` failing (503)
 * since 10 Feb, so stale. `kommune` (built-in SLA of 7 days): `/k`, last fetched OK 1 January, so
 * the source is stale.
 */
export async function seedWorkspace(origin = 'https://www.nav.example'): Promise<string> {
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-audit-'));
  const host = new URL(origin).hostname;
  await writeFile(
    path.join(ws, 'sources.yaml'),
    `version: 1
contact: test@example.org
defaults: { pending_sla_days: 5, delay_ms: 0 }
sources:
  - { id: nav, name: NAV, owner: NAV, start_urls: ['${origin}/'], allowed_hosts: ['${host}'], allow_private_network: true, freshness_sla_days: 7, declared_max_age_days: 100 }
  - { id: kommune, name: 'Fjordvik kommune', owner: Fjordvik kommune, start_urls: ['https://k.example/'] }
`,
  );
  const store = await Store.open(storeDirOf(ws));
  const md = await store.blobs.put(
    `# Satser\n\nSe [fjernet side](${origin}/b), [satser](${origin}/c "Satser"), [ukjent](${origin}/d#avsnitt), <${origin}/e> og [ekstern](https://other.example/x).\n`,
  );
  const ok = { lastStatus: 200, lastFetchedAt: '2026-03-01T06:00:00.000Z', lastOkAt: '2026-03-01T06:00:00.000Z' };
  await store.putPage(
    page('nav', `${origin}/a`, {
      ...ok,
      lastChangedAt: '2026-02-16T06:00:00.000Z',
      versions: [
        version('a1', '2026-01-05T08:00:00.000Z'),
        version('a2', '2026-02-16T06:00:00.000Z', { markdownHash: md, title: 'Grunnstønad', dates: { modified: '2025-01-01' } }),
      ],
    }),
  );
  await store.putPage(
    page('nav', `${origin}/b`, {
      lastStatus: 404,
      lastFetchedAt: '2026-02-20T06:00:00.000Z',
      lastOkAt: '2026-02-10T06:00:00.000Z',
      consecutiveFailures: 2,
      removedAt: '2026-02-20T06:00:00.000Z',
      versions: [version('b1', '2026-01-05T08:00:00.000Z')],
    }),
  );
  await store.putPage(
    page('nav', `${origin}/c`, {
      ...ok,
      redirects: [`${origin}/c-gammel`],
      finalUrl: `${origin}/c/`,
      versions: [version('c1', '2026-01-05T08:00:00.000Z', { title: EVIL_TITLE, dates: { published: '2026-01-02' } })],
    }),
  );
  await store.putPage(page('nav', `${origin}/e`, { ...ok, versions: [version('e1', '2026-02-24T08:00:00.000Z')] }));
  await store.putPage(
    page('nav', `${origin}/f`, {
      lastStatus: 503,
      lastFetchedAt: '2026-03-01T06:00:00.000Z',
      lastOkAt: '2026-02-10T06:00:00.000Z',
      consecutiveFailures: 3,
      lastFailure: { code: 'http-503', message: 'HTTP 503', at: '2026-03-01T06:00:00.000Z' },
      versions: [version('f1', '2026-01-05T08:00:00.000Z')],
    }),
  );
  await store.putPage(
    page('kommune', 'https://k.example/k', {
      lastChangedAt: '2026-01-01T06:00:00.000Z',
      lastStatus: 200,
      lastFetchedAt: '2026-01-01T06:00:00.000Z',
      lastOkAt: '2026-01-01T06:00:00.000Z',
      versions: [version('k1', '2026-01-01T06:00:00.000Z')],
    }),
  );
  for (const i of [
    item('nav', `${origin}/a`, 'a1', { status: 'approved', decidedAt: '2026-01-06T08:00:00.000Z', decidedBy: 'Kari' }),
    item('nav', `${origin}/a`, 'a2', { kind: 'changed', createdAt: '2026-02-16T06:00:00.000Z' }),
    item('nav', `${origin}/c`, 'c1', { status: 'approved', decidedAt: '2026-01-06T08:00:00.000Z', decidedBy: 'Kari' }),
    item('kommune', 'https://k.example/k', 'k1', { createdAt: '2026-03-01T06:00:00.000Z' }),
  ]) {
    await store.putReview(i);
  }
  await store.flush();
  return ws;
}
