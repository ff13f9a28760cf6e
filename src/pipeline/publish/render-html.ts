import { diffArrays } from 'diff';
// The same tokens as `diffTexts`, so a changed amount shows as one replaced figure.
import { tokenize } from '../diff/index.js';

/**
 * Escape text for HTML element content and quoted attribute values. Every page-derived string
 * that reaches a web page goes through this (or through `highlightSpans`, which uses it).
 */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const OSLO = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An ISO time as Norwegian local time in Europe/Oslo, `02.11.2026 kl. 09:00` (summer time
 * included), for pages editors and analysts read; the text as it is when it is not a time.
 * Deterministic: it depends on the instant only, not on the machine's time zone.
 */
export function osloTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = Object.fromEntries(OSLO.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} kl. ${p.hour}:${p.minute}`;
}

/**
 * Escaped `text` with every occurrence of each span wrapped in
 * `<mark class="ungrounded" title="…">`. Spans are matched literally and may not overlap
 * (the earliest, then longest, wins); empty spans are ignored. Pure.
 */
export function highlightSpans(text: string, spans: readonly string[], title = ''): string {
  const wanted = [...new Set(spans.filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  let out = '';
  let at = 0;
  while (at < text.length) {
    let best: { index: number; span: string } | undefined;
    for (const span of wanted) {
      const index = text.indexOf(span, at);
      if (index >= 0 && (!best || index < best.index)) best = { index, span };
    }
    if (!best) break;
    out += escapeHtml(text.slice(at, best.index));
    out += `<mark class="ungrounded"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(best.span)}</mark>`;
    at = best.index + best.span.length;
  }
  return out + escapeHtml(text.slice(at));
}

/** One row of a side-by-side diff: the old line (left) and the new line (right), either absent. */
export interface DiffRow {
  op: 'eq' | 'change' | 'del' | 'add' | 'skip';
  /** 1-based line numbers; absent on the side that has no line. */
  oldLine?: number;
  newLine?: number;
  /** Escaped HTML of each side, with `<del>`/`<ins>` around changed words. */
  oldHtml?: string;
  newHtml?: string;
  /** For `skip`: how many equal lines were left out. */
  skipped?: number;
}

export interface SideBySideOptions {
  /** Equal lines kept around each change; longer equal runs collapse to one `skip` row. Default 3; `Infinity` keeps all. */
  contextLines?: number;
}

/**
 * Align two texts line by line (the extracted text has one block per line) and diff each pair
 * of replaced lines word by word. `undefined` old text means a new page (everything added),
 * `undefined` new text a removed page. Pure; every string in the result is escaped.
 */
export function sideBySideRows(oldText: string | undefined, newText: string | undefined, opts: SideBySideOptions = {}): DiffRow[] {
  const context = opts.contextLines ?? 3;
  const oldLines = oldText === undefined ? [] : oldText.split('\n');
  const newLines = newText === undefined ? [] : newText.split('\n');
  const rows: DiffRow[] = [];
  let o = 1;
  let n = 1;
  const parts = diffArrays(oldLines, newLines);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part.added && !part.removed) {
      for (const line of part.value)
        rows.push({ op: 'eq', oldLine: o++, newLine: n++, oldHtml: escapeHtml(line), newHtml: escapeHtml(line) });
      continue;
    }
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      // A replaced run: pair its lines in order, word-diff each pair; the rest stand alone.
      i++;
      const pairs = Math.max(part.value.length, next.value.length);
      for (let k = 0; k < pairs; k++) {
        const a = part.value[k];
        const b = next.value[k];
        if (a !== undefined && b !== undefined) rows.push({ op: 'change', oldLine: o++, newLine: n++, ...wordDiff(a, b) });
        else if (a !== undefined) rows.push({ op: 'del', oldLine: o++, oldHtml: `<del class="del">${escapeHtml(a)}</del>` });
        else rows.push({ op: 'add', newLine: n++, newHtml: `<ins class="ins">${escapeHtml(b!)}</ins>` });
      }
      continue;
    }
    for (const line of part.value) {
      if (part.removed) rows.push({ op: 'del', oldLine: o++, oldHtml: `<del class="del">${escapeHtml(line)}</del>` });
      else rows.push({ op: 'add', newLine: n++, newHtml: `<ins class="ins">${escapeHtml(line)}</ins>` });
    }
  }
  return collapse(rows, context);
}

function wordDiff(a: string, b: string): { oldHtml: string; newHtml: string } {
  let oldHtml = '';
  let newHtml = '';
  for (const w of diffArrays(tokenize(a), tokenize(b))) {
    const text = escapeHtml(w.value.join(''));
    if (w.removed) oldHtml += `<del class="del">${text}</del>`;
    else if (w.added) newHtml += `<ins class="ins">${text}</ins>`;
    else {
      oldHtml += text;
      newHtml += text;
    }
  }
  return { oldHtml, newHtml };
}

/** Keep `context` equal lines next to each change; fold the rest of each equal run into a skip row. */
function collapse(rows: DiffRow[], context: number): DiffRow[] {
  if (!Number.isFinite(context)) return rows;
  const isNear = rows.map(() => false);
  rows.forEach((r, i) => {
    if (r.op === 'eq') return;
    for (let k = Math.max(0, i - context); k <= Math.min(rows.length - 1, i + context); k++) isNear[k] = true;
  });
  const out: DiffRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.op !== 'eq' || isNear[i]) {
      out.push(rows[i]!);
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j]!.op === 'eq' && !isNear[j]) j++;
    out.push({ op: 'skip', skipped: j - i });
    i = j - 1;
  }
  return out;
}

/**
 * A side-by-side diff as an HTML `<table class="diff">`: old text left, new text right,
 * aligned by line, changed words in `<del class="del">` / `<ins class="ins">`, folded equal
 * runs as "… N like linjer". Headers are Norwegian (it is shown to editors). The line-number
 * columns get their width from a `<colgroup>` (`col.ln`): in a fixed layout the first row, a
 * header spanning two columns, would otherwise share the width out evenly. A side with no line
 * in a row gets class `none` on both its cells, so a narrow screen can hide them. `caption`
 * (visually hidden, class `vh`) names the table for screen readers. Pure; escaped.
 */
export function renderSideBySideHtml(
  oldText: string | undefined,
  newText: string | undefined,
  opts: SideBySideOptions & { oldLabel?: string; newLabel?: string; caption?: string } = {},
): string {
  const rows = sideBySideRows(oldText, newText, opts);
  const cell = (line: number | undefined, html: string | undefined, side: 'old' | 'new'): string =>
    html === undefined
      ? `<td class="ln none"></td><td class="${side} empty none"></td>`
      : `<td class="ln">${line ?? ''}</td><td class="${side}">${html}</td>`;
  const body = rows
    .map((r) =>
      r.op === 'skip'
        ? `<tr class="skip"><td colspan="4">… ${r.skipped} like linje${r.skipped === 1 ? '' : 'r'} …</td></tr>`
        : `<tr class="${r.op}">${cell(r.oldLine, r.oldHtml, 'old')}${cell(r.newLine, r.newHtml, 'new')}</tr>`,
    )
    .join('\n');
  return [
    '<table class="diff">',
    ...(opts.caption ? [`<caption class="vh">${escapeHtml(opts.caption)}</caption>`] : []),
    '<colgroup><col class="ln"><col><col class="ln"><col></colgroup>',
    `<thead><tr><th scope="colgroup" colspan="2">${escapeHtml(opts.oldLabel ?? 'Før')}</th><th scope="colgroup" colspan="2">${escapeHtml(opts.newLabel ?? 'Nå')}</th></tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    '</table>',
  ].join('\n');
}
