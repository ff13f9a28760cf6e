import { z } from 'zod';
import { sha256 } from '../../hash.js';
import type { Bundle, BundlePage } from '../publish/index.js';

/** Where the JSON Schemas of the bundle's machine-readable files live (`eti schema --write`). */
export const SCHEMA_BASE = 'https://github.com/eti-project/eti/schema';

/** Entries kept in `history.json` (and so the most a feed can show): the newest first. */
export const HISTORY_LIMIT = 1000;

const changeClass = z.enum(['material', 'wording', 'cosmetic']);

/** One event in a page's public life: added, updated (with note) or withdrawn. */
export const changeEntrySchema = z.strictObject({
  id: z.string().describe('Stable id (urn:uuid derived from kind, url and content hash): the same event keeps it in every later bundle.'),
  kind: z.enum(['added', 'updated', 'withdrawn']),
  at: z.string().describe('When it happened: the approval time (added, updated), or the bundle time of the withdrawal.'),
  bundleId: z.string().describe('The bundle that first carried this event.'),
  url: z.string().describe('The source page.'),
  slug: z.string(),
  title: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  owner: z.string(),
  tags: z.array(z.string()),
  audience: z.string(),
  licence: z.string(),
  credit: z.string(),
  contentHash: z.string().describe('The content published (added, updated) or last published (withdrawn).'),
  isMajor: z.boolean().describe('Major changes are those readers should know about; additions and withdrawals are major.'),
  changeClass: changeClass.optional().describe('updated only, when known: material, wording or cosmetic.'),
  note: z.string().describe("The public change note in Norwegian (the editor's text when they wrote one)."),
  summary: z.string().optional().describe('The approved plain-language summary (added, updated).'),
});
export type ChangeEntry = z.infer<typeof changeEntrySchema>;

/** `changes.json`: what changed since the previous bundle. */
export const changesSchema = z.strictObject({
  $schema: z.string(),
  format: z.literal(1),
  bundleId: z.string(),
  previousId: z.string().optional().describe('The bundle compared with; absent for a first bundle (then every page is added).'),
  createdAt: z.string(),
  added: z.array(changeEntrySchema),
  updated: z.array(changeEntrySchema),
  withdrawn: z.array(changeEntrySchema),
});
export type Changes = z.infer<typeof changesSchema>;

/** `history.json`: the newest change entries over the bundles so far, the feeds' source. */
export const historySchema = z.strictObject({
  $schema: z.string(),
  format: z.literal(1),
  bundleId: z.string(),
  entries: z.array(changeEntrySchema),
});
export type History = z.infer<typeof historySchema>;

/** `index.json`: the pages as data files of Astro, Eleventy and Hugo read them. */
export const indexSchema = z.strictObject({
  $schema: z.string(),
  bundleId: z.string(),
  createdAt: z.string(),
  pages: z.array(
    z.strictObject({
      slug: z.string().regex(/^[a-z0-9-]+$/),
      path: z.string().describe('The Markdown file, relative to the bundle: pages/<slug>.md.'),
      title: z.string(),
      description: z.string(),
      date: z.string().describe('YYYY-MM-DD: the page\'s own "last updated" date, else when eti first saw this content.'),
      lastmod: z.string().describe('YYYY-MM-DD: when an editor approved this content.'),
      source_url: z.string(),
      source: z.string(),
      owner: z.string(),
      tags: z.array(z.string()),
      audience: z.string(),
      licence: z.string(),
      credit: z.string(),
      change_note: z.string().optional(),
    }),
  ),
});

/** A deterministic urn:uuid (version 8: custom) from a text. */
export function uuidUrn(text: string): string {
  const h = sha256(text);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const NOTE_ADDED = 'Ny side.';
const NOTE_WITHDRAWN = 'Siden er trukket tilbake: den finnes ikke lenger hos kilden, eller en redaktør har fjernet den.';
const NOTE_EDITED = 'Sammendraget er forbedret.';
const NOTE_UPDATED = 'Innholdet på kildesiden er endret.';

function entry(kind: ChangeEntry['kind'], p: BundlePage, at: string, bundleId: string, extra: Partial<ChangeEntry>): ChangeEntry {
  return {
    id: uuidUrn(`${kind}\n${p.url}\n${p.contentHash}\n${kind === 'updated' ? p.approvedAt : ''}`),
    kind,
    at,
    bundleId,
    url: p.url,
    slug: p.slug,
    title: p.title,
    sourceId: p.sourceId,
    sourceName: p.sourceName,
    owner: p.owner,
    tags: [...p.tags],
    audience: p.audience,
    licence: p.licence,
    credit: p.credit,
    contentHash: p.contentHash,
    isMajor: true,
    note: '',
    ...extra,
  };
}

/** Newest first; ties by kind, then url: a stable order. */
export function compareEntries(a: ChangeEntry, b: ChangeEntry): number {
  return a.at < b.at
    ? 1
    : a.at > b.at
      ? -1
      : a.kind < b.kind
        ? -1
        : a.kind > b.kind
          ? 1
          : a.url < b.url
            ? -1
            : a.url > b.url
              ? 1
              : a.id < b.id
                ? -1
                : a.id > b.id
                  ? 1
                  : 0;
}

/**
 * What changed from `previous` to `bundle`, page by page. Pure and deterministic. Without a
 * previous bundle every page is added. A page is updated when its approved content, summary or
 * approval changed; its note is the editor's (`changeNote`), else a plain default.
 */
export function computeChanges(bundle: Bundle, previous: Bundle | undefined): Changes {
  const before = new Map((previous?.pages ?? []).map((p) => [p.url, p]));
  const after = new Set(bundle.pages.map((p) => p.url));
  const added: ChangeEntry[] = [];
  const updated: ChangeEntry[] = [];
  for (const p of bundle.pages) {
    const old = before.get(p.url);
    if (!old) {
      added.push(entry('added', p, p.approvedAt, bundle.id, { note: p.changeNote ?? NOTE_ADDED, isMajor: true, summary: p.summary }));
      continue;
    }
    const isNewContent = old.contentHash !== p.contentHash;
    if (!isNewContent && old.summary === p.summary && old.approvedAt === p.approvedAt) continue;
    const isMajor = p.isMajor ?? (isNewContent && (p.changeClass ?? 'material') === 'material');
    updated.push(
      entry('updated', p, p.approvedAt, bundle.id, {
        // An approval from before change notes (no isMajor recorded) falls back to the proposal.
        note: p.changeNote ?? (isNewContent ? ((p.isMajor === undefined ? p.changeSummary : undefined) ?? NOTE_UPDATED) : NOTE_EDITED),
        isMajor,
        ...(isNewContent && p.changeClass ? { changeClass: p.changeClass } : {}),
        summary: p.summary,
      }),
    );
  }
  // The bundle does not know when the removal was approved: the withdrawal is dated by the
  // later of the two bundles, so it never sorts before what it withdraws.
  const withdrawnAt = previous && previous.createdAt > bundle.createdAt ? previous.createdAt : bundle.createdAt;
  const withdrawn = (previous?.pages ?? [])
    .filter((p) => !after.has(p.url))
    .map((p) => entry('withdrawn', p, withdrawnAt, bundle.id, { note: NOTE_WITHDRAWN, isMajor: true }));
  return {
    $schema: `${SCHEMA_BASE}/changes.schema.json`,
    format: 1,
    bundleId: bundle.id,
    ...(previous ? { previousId: previous.id } : {}),
    createdAt: bundle.createdAt,
    added: added.sort(compareEntries),
    updated: updated.sort(compareEntries),
    withdrawn: withdrawn.sort(compareEntries),
  };
}

/**
 * This bundle's changes in front of the previous history, newest first, an entry id once (the
 * newer wins), at most `HISTORY_LIMIT`. Deterministic for the same changes and previous history.
 */
export function nextHistory(changes: Changes, previous: readonly ChangeEntry[]): History {
  const seen = new Set<string>();
  const entries: ChangeEntry[] = [];
  for (const e of [...changes.added, ...changes.updated, ...changes.withdrawn].sort(compareEntries).concat(previous)) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    entries.push(e);
  }
  return {
    $schema: `${SCHEMA_BASE}/history.schema.json`,
    format: 1,
    bundleId: changes.bundleId,
    entries: entries.sort(compareEntries).slice(0, HISTORY_LIMIT),
  };
}
