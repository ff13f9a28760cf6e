/**
 * Norwegian text helpers: sentence splitting that knows the abbreviations of public-sector
 * text, and finding the figures (amounts, dates, ages, §, form and phone numbers …) that a
 * summary must never get wrong.
 */

const ABBREVIATIONS = new Set([
  'f.eks',
  'bl.a',
  'nr',
  'kr',
  'jf',
  'jfr',
  'ca',
  'mv',
  'm.m',
  'osv',
  'dvs',
  'evt',
  'pr',
  'kl',
  'tlf',
  'o.l',
  'ift',
  'iht',
  'ref',
  'mht',
  'vedr',
  'inkl',
  'ekskl',
  'maks',
  'min',
  'ev',
  'mnd',
  'st',
  'avd',
  'adr',
  'forts',
  'ang',
  'sml',
  'bl',
  'm.fl',
  'a.s',
  'm',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'okt',
  'nov',
  'des',
  'nb',
  'ifm',
  'p.t',
  'dr',
  'prof',
  'stk',
]);

/** Split text into sentences. Lines (blocks, list items, table rows) are always separate. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    let start = 0;
    const boundary = /[.!?]["')»]?\s+(?=["«(]?[A-ZÆØÅ0-9])/g;
    for (const m of t.matchAll(boundary)) {
      const end = m.index + m[0].trimEnd().length;
      const lastWord = /(\S+)$/.exec(t.slice(start, m.index))?.[1] ?? '';
      const word = lastWord.replace(/^[("«]+/, '').toLowerCase();
      const next = t.slice(end).trimStart();
      if (t[m.index] === '.') {
        if (ABBREVIATIONS.has(word)) continue;
        // "1. januar", "3. ledd", "§ 2-5. Andre" are not ends; a digit before "." followed by a digit neither.
        if (/^\d{1,2}$/.test(word) && /^[a-zæøå0-9]/.test(next)) continue;
        if (/^[a-zæøå]$/i.test(word) && word.length === 1) continue; // initials: "A. Hansen"
      }
      out.push(t.slice(start, end).trim());
      start = end;
    }
    const rest = t.slice(start).trim();
    if (rest) out.push(rest);
  }
  return out;
}

export type FigureKind = 'url' | 'email' | 'form' | 'paragraph' | 'date' | 'g' | 'percent' | 'phone' | 'number';

export interface Figure {
  kind: FigureKind;
  /** As it stands in the text. */
  raw: string;
  /** Canonical forms; two figures are the same when they share one. */
  norms: string[];
  index: number;
}

const MONTHS = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];
const MONTH_RE = MONTHS.join('|');

const PATTERNS: [FigureKind, RegExp][] = [
  ['url', /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/gi],
  ['email', /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g],
  ['form', /\b(?:NAV|IS|HOD)[ -]?\d{2}-\d{2}(?:\.\d{2})?\b/g],
  ['paragraph', /§§?\s?\d+(?:-\d+)*(?:\s?[a-z](?![a-zæøå]))?/g],
  ['date', new RegExp(String.raw`\b\d{1,2}\.\s?(?:${MONTH_RE})(?:\s\d{4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b`, 'gi')],
  ['g', /(?:½|\d+(?:[.,]\d+)?)\s?G\b/g],
  ['percent', /\d+(?:[.,]\d+)?\s?(?:%|prosent\b)/gi],
  ['phone', /(?:\+47\s?)?\b\d{2}\s\d{2}\s\d{2}\s\d{2}\b|\b\d{3}\s\d{2}\s\d{3}\b/g],
  ['number', /\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?/g],
];

function numberNorms(raw: string): string[] {
  const s = raw.replace(/[\s\u00a0]/g, '');
  // "8.232" and "65,080" are thousands groups; "1,5" and "0.5" are decimals.
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return [s.replace(/[.,]/g, ''), s.replace(',', '.')];
  return [s.replace(',', '.').replace(/^0+(?=\d)/, '')];
}

function dateNorms(raw: string): string[] {
  const s = raw.toLowerCase().replace(/\s+/g, ' ').trim();
  let m = new RegExp(String.raw`^(\d{1,2})\. ?(${MONTH_RE})(?: (\d{4}))?$`).exec(s);
  if (m) {
    const md = `${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
    return m[3] ? [`${m[3]}-${md}`] : [md];
  }
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2,4})$/.exec(s);
  if (m) {
    const y = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    return [`${y}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`];
  }
  return [s];
}

/** The canonical forms of a figure. */
export function normalizeFigure(kind: FigureKind, raw: string): string[] {
  switch (kind) {
    case 'url':
      return [
        raw
          .toLowerCase()
          .replace(/^https?:\/\/(www\.)?/, '')
          .replace(/\/$/, ''),
      ];
    case 'email':
      return [raw.toLowerCase()];
    case 'form':
    case 'paragraph':
      return [raw.replace(/[\s-]/g, '').toLowerCase().replace(/^§§/, '§')];
    case 'date':
      return dateNorms(raw);
    case 'g':
      return [`${raw.replace(/\s?G$/, '').replace('½', '0.5').replace(',', '.')}G`];
    case 'percent':
      return [`${raw.replace(/\s?(%|prosent)$/i, '').replace(',', '.')}%`];
    case 'phone':
      return [raw.replace(/\D/g, '').replace(/^47(?=\d{8}$)/, '')];
    case 'number':
      return numberNorms(raw);
  }
}

/**
 * Every checkable figure in a text, most specific first: a number inside a date, a phone
 * number, a § reference or a URL is reported as that, not as a bare number.
 */
export function findFigures(text: string): Figure[] {
  const taken: [number, number][] = [];
  const overlaps = (a: number, b: number): boolean => taken.some(([x, y]) => a < y && b > x);
  const out: Figure[] = [];
  for (const [kind, re] of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      // A bare year is a figure only inside a date: "i 2025" alone is not checked.
      if (kind === 'number' && /^(19|20)\d{2}$/.test(m[0])) continue;
      taken.push([start, end]);
      out.push({ kind, raw: m[0], norms: normalizeFigure(kind, m[0]), index: start });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** All canonical forms present in a source text, for membership tests; bare numbers included. */
export function figureSet(text: string): Set<string> {
  const set = new Set<string>();
  for (const f of findFigures(text)) {
    for (const n of f.norms) {
      set.add(`${f.kind}:${n}`);
      // A summary may leave out the year the page gives ("1. mars" for "1. mars 2025").
      if (f.kind === 'date' && /^\d{4}-/.test(n)) set.add(`date:${n.slice(5)}`);
    }
  }
  // Every digit group too, so "2026" in a summary matches a source's "1. januar 2026".
  for (const m of text.matchAll(/\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?/g)) {
    for (const n of numberNorms(m[0])) set.add(`number:${n}`);
  }
  return set;
}
