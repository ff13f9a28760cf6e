import type { Change, Hunk } from '../types.js';

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * A word diff for a terminal: removed words in red `[-…-]`, added in green `{+…+}`.
 * The markers stay without colour, so the output reads the same in a log file.
 */
export function renderHunksText(hunks: readonly Hunk[], isColor: boolean): string {
  return hunks
    .map((h) => {
      const t = h.text;
      if (h.op === 'eq') return isColor ? `${DIM}${t}${RESET}` : t;
      if (h.op === 'del') return isColor ? `${RED}[-${t}-]${RESET}` : `[-${t}-]`;
      return isColor ? `${GREEN}{+${t}+}${RESET}` : `{+${t}+}`;
    })
    .join('');
}

/** A word diff in Markdown: ~~removed~~ and **added**; page text is escaped. */
export function renderHunksMarkdown(hunks: readonly Hunk[]): string {
  const esc = (s: string): string => s.replace(/[\\`*_~[\]<>&|]/g, (c) => `\\${c}`);
  return hunks
    .map((h) => {
      if (h.op === 'eq') return esc(h.text);
      const core = h.text.trim();
      if (!core) return h.text;
      const mark = h.op === 'del' ? '~~' : '**';
      return h.text.replace(core, `${mark}${esc(core)}${mark}`);
    })
    .join('');
}

/** One line describing a change: kind, url and word counts. */
export function describeChange(c: Change): string {
  if (c.kind === 'unchanged' && c.isDateOnly) return `date-only  ${c.url}  (only the page's date stamp changed)`;
  if (c.kind === 'changed' && c.isNoise) return `noise      ${c.url}  (only counters, moved blocks or ignored text changed)`;
  if (c.kind === 'changed') return `changed    ${c.url}  (+${c.stats.added} -${c.stats.removed} words)`;
  return `${c.kind.padEnd(10)} ${c.url}`;
}
