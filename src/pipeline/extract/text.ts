/**
 * The plain text used for diffing: one line per block (paragraph, heading, list item, table
 * row with cells joined by " | "), normalised whitespace, quotes and dashes, and the page's
 * own date stamps lifted out into metadata.
 */
import type { PageDates } from '../types.js';
import { startsGluedWord } from './glue.js';

/** The heading tags, each a line (and a block) of its own. */
export const HEADING_TAGS: readonly string[] = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Tags that make a block, and so a line, of their own in the plain text. */
export const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'ul',
  'body',
  'html',
  'center',
  'legend',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'title']);

/** Runs of Unicode letters, digits and "_", case kept: the 2026 benchmark's tokens, and the words narrow.ts compares. */
export const wordTokens = (s: string): string[] => s.match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Multiset of consecutive `n`-token sequences; fewer than `n` tokens make one short shingle. */
export function shingles(toks: readonly string[], n = 4): Map<string, number> {
  const out = new Map<string, number>();
  if (toks.length === 0) return out;
  if (toks.length < n) {
    out.set(toks.join(' '), 1);
    return out;
  }
  for (let i = 0; i + n <= toks.length; i++) {
    const k = toks.slice(i, i + n).join(' ');
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** The length of `el`'s text, whitespace collapsed and trimmed. */
export const textLength = (el: Element): number => (el.textContent ?? '').replace(/\s+/g, ' ').trim().length;

/** The node after `node` in document order, not descending into `node` when `skipKids`: a plain walk (not every DOM supports a TreeWalker with a moved currentNode). */
export function nextNode(node: Node, skipKids: boolean): Node | null {
  if (!skipKids && node.firstChild) return node.firstChild;
  for (let n: Node | null = node; n; n = n.parentNode) if (n.nextSibling) return n.nextSibling;
  return null;
}

/** Normalise one line: no-break and odd spaces, typographic quotes and dashes, collapsed whitespace. */
export function normalizeLine(s: string): string {
  return s
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"')
    .replace(/[\u2018\u2019\u201a]/g, "'")
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/\u00ad/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A table row used for layout, not data: one cell, holding blocks (a forum's post as a row of a
 * message table). Its blocks are lines of their own, not one cell's text run together.
 */
function isLayoutRow(tr: Element): boolean {
  const cells = [...tr.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
  if (cells.length !== 1) return false;
  // A walk, not getElementsByTagName('*'), which linkedom answers with nothing.
  const stack = [...cells[0]!.children];
  for (let c = stack.pop(); c; c = stack.pop()) {
    if (BLOCK.has(c.localName)) return true;
    stack.push(...c.children);
  }
  return false;
}

/** Block-structured text of an element, one normalised line per block. */
export function blockLines(root: Element): string[] {
  const lines: string[] = [];
  let current = '';
  const flush = (): void => {
    const t = normalizeLine(current);
    if (t) lines.push(t);
    current = '';
  };
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      current += (node as Text).data;
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    if (SKIP.has(tag)) return;
    if (tag === 'br') {
      flush();
      return;
    }
    if (tag === 'tr' && isLayoutRow(el)) {
      flush();
      for (const child of el.childNodes) walk(child);
      flush();
      return;
    }
    if (tag === 'tr') {
      flush();
      // A cell's own lines (a <br>, paragraphs) joined by a space: its textContent ran them together.
      const cells = [...el.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH').map((c) => blockLines(c).join(' '));
      const row = cells.filter((c) => c !== '').join(' | ');
      if (row) lines.push(row);
      return;
    }
    const isBlock = BLOCK.has(tag);
    if (isBlock) flush();
    else if (startsGluedWord(current, el)) current += ' ';
    for (const child of el.childNodes) walk(child);
    if (isBlock) flush();
    else if (tag === 'td' || tag === 'th') current += ' ';
  };
  walk(root);
  flush();
  return lines;
}

const MONTHS = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];
const DATE = String.raw`(\d{1,2}\.\s*(?:${MONTHS.join('|')})\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2})`;
const LABEL = String.raw`(sist\s+(?:faglig\s+)?(?:oppdatert|endret|endra|revidert)|publisert|oppdatert|opprettet|oppretta|først publisert)`;
const STAMP = new RegExp(String.raw`${LABEL}\s*:?\s*(?:den\s+)?${DATE}`, 'gi');
const STAMP_LINE = new RegExp(String.raw`^(?:\s*${LABEL}\s*:?\s*(?:den\s+)?${DATE}\s*[|·,;/-]?\s*)+$`, 'i');

const STAMP_ONE = new RegExp(STAMP.source, 'i');

/** Whether `s` holds a date stamp ("Sist oppdatert 12. mars 2025") anywhere. */
export function hasDateStamp(s: string): boolean {
  return STAMP_ONE.test(s);
}

/** `s` with its date stamps blanked out. */
export function stripDateStamps(s: string): string {
  return s.replace(STAMP, ' ');
}

/** Spaces of every kind (NBSP, narrow NBSP, thin spaces, newlines) as one ASCII space. */
export function normalizeSpaces(s: string): string {
  return s.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ');
}

/** The digit groups of a text ("8 232", "09-06.05", "18"), whitespace of every kind as one space. */
export function digitGroups(s: string): string[] {
  return (
    normalizeSpaces(s)
      .match(/\d[\d .,:-]*\d|\d/g)
      ?.map((g) => g.trim()) ?? []
  );
}

/** Parse a Norwegian date ("12. mars 2025", "08.01.2021", "2025-03-12") to YYYY-MM-DD. */
export function parseNorwegianDate(s: string): string | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2,4})$/.exec(s.trim());
  if (m) {
    const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    return valid(year, m[2]!, m[1]!);
  }
  m = /^(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})$/i.exec(s.trim());
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase());
    if (month >= 0) return valid(m[3]!, String(month + 1), m[1]!);
  }
  return undefined;
}

function valid(y: string, mo: string, d: string): string | undefined {
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Lift date-stamp lines ("Sist oppdatert 12. mars 2025", "Publisert: 14.03.2019 | Sist endret:
 * 08.01.2025") out of the text. Only lines that consist of stamps alone go: a sentence that
 * mentions a date stays. Returns the remaining lines, the stamp lines and the parsed dates.
 */
export function liftDateStamps(lines: string[]): { lines: string[]; stamps: string[]; dates: PageDates } {
  const kept: string[] = [];
  const stamps: string[] = [];
  const dates: PageDates = {};
  for (const line of lines) {
    if (line.length > 160 || !STAMP_LINE.test(line)) {
      kept.push(line);
      continue;
    }
    stamps.push(line);
    for (const m of line.matchAll(STAMP)) {
      const iso = parseNorwegianDate(m[2]!);
      if (!iso) continue;
      const label = m[1]!.toLowerCase();
      if (label.startsWith('publisert') || label.startsWith('opprett') || label.startsWith('først')) dates.published ??= iso;
      else dates.modified = dates.modified && dates.modified > iso ? dates.modified : iso;
    }
  }
  return { lines: kept, stamps, dates };
}
