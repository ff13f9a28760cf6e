/**
 * Text the verifier reads: the Markdown (or HTML) the model was shown turned into plain lines with
 * link targets kept, tables turned into one line per row with each cell labelled by its column,
 * and the tokens, stems and clauses the rules compare. Pure.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** HTML (as the demo pages hold it) → Markdown-like lines: rows as `| a | b |`, links as `text (url)`. */
function htmlToLines(s: string): string {
  if (!/<[a-z/][^>]*>/i.test(s)) return s;
  return s
    .replace(/<tr[^>]*>([\s\S]*?)<\/tr>/gi, (_m, row: string) => {
      const isHeader = /<th[\s>]/i.test(row);
      const cells = [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/gi)].map((c) => c[1]!.replace(/<[^>]+>/g, ' ').trim());
      return `\n${isHeader ? '!' : ''}| ${cells.join(' | ')} |\n`;
    })
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2 ($1)')
    .replace(/<(li|p|br|h\d|div|section|caption|thead|tbody|table|ul|ol|dt|dd)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ');
}

/** Markdown → plain text with link targets kept (the model saw them, a summary may repeat them). */
function markdownToPlain(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, '$1 ($2)')
    .replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, '')
    .replace(/^[ \t]*>[ \t]?/gm, '')
    .replace(/^[ \t]*(?:[-*+]|\d+\.)[ \t]+(?=\S)/gm, '')
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, ''); // again: a list item may hold a heading («-   ### [Pleiepenger](…)»)
}

/** Same text with every kind of space as a plain space and typographic marks made plain. */
export function normalizeSpaces(s: string): string {
  return s
    .replace(/[\u00a0\u2007\u2009\u202f\u200a\u2002\u2003]/g, ' ')
    .replace(/[\u00ad\u200b]/g, '')
    .replace(/[‐‑‒–—]/g, (m) => (m === '–' || m === '—' ? ' – ' : '-'))
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\r\n?/g, '\n');
}

const SEPARATOR = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/;

function cellsOf(line: string): string[] {
  return line
    .replace(/^!/, '')
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/**
 * Table rows become one line each, every cell followed by its column header in parentheses
 * ("Sats 1 | 8 232 kroner (Per år) | 686 kroner (Per måned)"), so that a period or a column
 * given only in the header travels with the figure. A header is a `<th>` row, a row followed by
 * a Markdown separator, or a first row without digits.
 */
function flattenTables(lines: string[]): string[] {
  const out: string[] = [];
  let header: string[] | undefined;
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const isRow = /^!?\|.*\|$/.test(line);
    if (!isRow) {
      inTable = false;
      header = undefined;
      if (!SEPARATOR.test(line) || !line.includes('-')) out.push(line);
      continue;
    }
    const cells = cellsOf(line);
    const next = lines[i + 1]?.trim() ?? '';
    const looksHeader = line.startsWith('!') || SEPARATOR.test(next) || (!inTable && !/\d/.test(cells.join(' ')));
    inTable = true;
    if (looksHeader && (!header || line.startsWith('!') || SEPARATOR.test(next))) {
      header = cells;
      if (SEPARATOR.test(next)) i++;
      continue;
    }
    out.push(cells.map((c, k) => (k > 0 && header?.[k] ? `${c} (${header[k]})` : c)).join(' | '));
  }
  return out;
}

/** The lines of a span (or of a claim): Markdown and HTML made plain, tables flattened. */
export function toLines(raw: string): string[] {
  const text = normalizeSpaces(decodeEntities(htmlToLines(normalizeSpaces(raw))));
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return flattenTables(lines)
    .map((l) => markdownToPlain(l).replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
}

/** Sentences of a line: split after . ! ? followed by a capital or a digit, never inside numbers or abbreviations. */
export function sentencesOf(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of line.matchAll(/[.!?;:]\s+(?=["«(]?[A-ZÆØÅ])/g)) {
    const before = line.slice(start, m.index);
    if (/\b(?:kl|nr|jf|f\.eks|bl\.a|ca|pr|tlf|eks|inkl|dvs|mv|osv|ev|evt|mnd|st)$/i.test(before)) continue;
    out.push(line.slice(start, m.index + 1).trim());
    start = m.index + m[0].length;
  }
  const rest = line.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** Clauses: a sentence cut at commas, semicolons, colons, dashes and the conjunctions og/men/eller before a clause (never inside «til og med»). */
export function clausesOf(sentence: string): string[] {
  return sentence
    .split(
      /,\s+(?!\d{3}\b)|;\s*|:\s+|\s+–\s+|(?<!\btil)\s+(?:og|men|samt|mens)\s+(?=(?:sats|du|dere|de|det|ved|for|med|har|er|vanlige|barnet|\d))/i,
    )
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** Lowercase word tokens (letters, digits, hyphens inside words). */
export function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? [];
}

const STOP = new Set(
  (
    'og i på til av for med som er var har hadde kan kunne må skal skulle vil ville blir ble bli være vere vore det den de dei du dere ' +
    'deg dykk seg sin sitt sine din ditt dine deres dykkar hans hennes vi oss ein en ei eit et ett om at å ikke ikkje ingen inga ' +
    'ingenting aldri kun bare berre uten utan fra frå etter før under over innen enn mer meir mindre minst høyst høgst opptil inntil ' +
    'også òg så da då når hvis viss dersom eller men hva kva hvem kven hvor kor hvilken kva slik slike sånn denne dette disse ' +
    'dei deira her der hver kvar alle all alt andre annen anna anna noen nokon noe noko mange mye mykje få fått gis gi gir gitt ' +
    'per pr ved mot hos sammen samme same selv sjølv nå no igjen blant annet anna først heller enn også eg jeg meg min mitt mine ' +
    'nei ja the a an of to in is are be you your and or not no'
  ).split(' '),
);

/** True for words that carry no content (function words, auxiliaries, negations and comparators are judged elsewhere). */
export function isStop(word: string): boolean {
  return STOP.has(word) || /^\d/.test(word);
}

const SUFFIXES = [
  'ene',
  'ane',
  'ende',
  'ande',
  'heten',
  'inga',
  'inger',
  'ingen',
  'ingar',
  'ing',
  'ene',
  'ers',
  'ert',
  'er',
  'ar',
  'en',
  'et',
  'te',
  'de',
  'a',
  'e',
  's',
  't',
];

/** A light Norwegian stem: lowercase, common inflection endings cut while at least four letters remain. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of SUFFIXES) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

/** Content stems of a text, in order. */
export function contentStems(s: string): string[] {
  return words(s)
    .filter((w) => !isStop(w) && w.length > 1)
    .map(stem);
}

/** Two stems name the same thing: equal, or one a prefix of the other with at least four letters shared («klag» and «klagefrist»). */
export function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}
