import { writeFileAtomic } from '../../atomic-file.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Audit } from './audit.js';

/**
 * The audit's memory: one JSON line of aggregate figures per audit run in
 * `.eti/audit-history.jsonl` (a few hundred bytes a line, at most `MAX_HISTORY` lines), so
 * `eti audit --trend` and the HTML report can show pending items, failures and time to approval
 * week by week. Only whole-workspace audits are kept (a `--source` audit would mix scopes).
 */

/** The history file's name inside the store directory. */
export const HISTORY_FILE = 'audit-history.jsonl';
/** Lines kept: about three years of daily audits. Older lines are dropped when a new one is added. */
export const MAX_HISTORY = 1000;

/** One audit run's figures. */
export interface AuditHistoryEntry {
  /** When the audit ran (`Audit.generatedAt`); one entry per instant. */
  at: string;
  sources: number;
  pages: number;
  /** Pending review items, and pages whose oldest pending item is past `pending_sla_days`. */
  pending: number;
  pendingOverdue: number;
  failing: number;
  unreachable: number;
  staleSources: number;
  brokenLinks: number;
  /** The Monday (`YYYY-MM-DD`, UTC) of the audit's week, and that week's new pages, changes and removals so far. */
  week: string;
  new: number;
  changed: number;
  removed: number;
  /** Median hours from a change to its approval, over every approval so far. */
  medianHoursToApproval?: number;
}

/** The figures of `result` worth keeping. Pure. */
export function historyEntry(result: Audit): AuditHistoryEntry {
  const a = result.analytics;
  const last = result.weeks[result.weeks.length - 1];
  return {
    at: result.generatedAt,
    sources: result.sources.length,
    pages: result.pages.length,
    pending: a.pendingItems,
    pendingOverdue: result.pages.filter((p) => p.isPendingOverdue).length,
    failing: result.pages.filter((p) => p.health === 'failing').length,
    unreachable: a.sources.reduce((n, s) => n + s.unreachable, 0),
    staleSources: result.sources.filter((s) => s.isStale).length,
    brokenLinks: result.brokenLinks.length,
    week: last?.week ?? mondayOf(result.generatedAt),
    new: last?.new ?? 0,
    changed: last?.changed ?? 0,
    removed: last?.removed ?? 0,
    ...(a.medianHoursToApproval === undefined ? {} : { medianHoursToApproval: a.medianHoursToApproval }),
  };
}

function mondayOf(iso: string): string {
  const d = new Date(iso);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(day - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

const isEntry = (x: unknown): x is AuditHistoryEntry =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as AuditHistoryEntry).at === 'string' &&
  typeof (x as AuditHistoryEntry).pending === 'number';

/**
 * The kept entries, oldest first; `[]` when there is no file. A line that is not an entry (a
 * torn write, a hand edit) is left out rather than failing the audit.
 */
export async function readHistory(storeDir: string): Promise<AuditHistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(path.join(storeDir, HISTORY_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: AuditHistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const x: unknown = JSON.parse(line);
      if (isEntry(x)) out.push(x);
    } catch {
      // not a whole line: skipped
    }
  }
  return out;
}

/**
 * Add `entry` (replacing one of the same instant), keep the newest `max`, and write the file
 * atomically (a temp file renamed over it), so a killed audit leaves the old file or the new one.
 * Returns the entries as written, oldest first.
 */
export async function appendHistory(storeDir: string, entry: AuditHistoryEntry, max = MAX_HISTORY): Promise<AuditHistoryEntry[]> {
  const kept = (await readHistory(storeDir)).filter((e) => e.at !== entry.at);
  kept.push(entry);
  kept.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const entries = kept.slice(-Math.max(1, max));
  await writeFileAtomic(path.join(storeDir, HISTORY_FILE), `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return entries;
}

/** One week of the trend: the last audit of that week. */
export type TrendWeek = AuditHistoryEntry;

/** The last entry of each week, oldest week first, at most `weeks` weeks. Pure. */
export function weeklyTrend(entries: readonly AuditHistoryEntry[], weeks = 26): TrendWeek[] {
  const byWeek = new Map<string, AuditHistoryEntry>();
  for (const e of [...entries].sort((a, b) => (a.at < b.at ? -1 : 1))) byWeek.set(mondayOf(e.at), e);
  return [...byWeek.values()].slice(-weeks);
}
