/**
 * HTML to Markdown for extraction: a port of the parts of Turndown 7.2 (MIT, © Dom Christie; its
 * whitespace collapsing from collapse-whitespace, MIT, © Luc Thevenard) that eti configures (ATX
 * headings, "-" bullets, fenced code, `_` emphasis, `**` strong, inline links) plus eti's own rules,
 * giving byte for byte what that configuration gave (test/pipeline/markdown.test.ts holds Turndown as
 * the oracle). Turndown clones the element, collapses whitespace on the clone and tries every rule
 * on every node, asking the DOM for text content again at each level; this reads the element once
 * into a light tree (whitespace collapsed on the way, the DOM left untouched) and works on that:
 * several times faster on jsdom.
 */
import { ELEM, MEANINGFUL, readTree, TEXT, textOf, type VEl, VOID } from './markdown-tree.js';

// eti's rules.
const LAYOUT_CELLS = new Set(['TD', 'TH', 'TR', 'TBODY', 'THEAD', 'TFOOT', 'CAPTION']);
const HOLDS_BLOCK = new Set([
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'P',
  'DIV',
  'UL',
  'OL',
  'TABLE',
  'SECTION',
  'ARTICLE',
  'BLOCKQUOTE',
  'DL',
]);
const BUTTON_KEPT_IN = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'summary', 'dt']);
const REMOVED = new Set(['script', 'style', 'noscript', 'button', 'input', 'select', 'textarea']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const SELF_NUMBERED = /^\s*(?:\d+|[a-zæøå])[.)]\s/i;

const ESCAPES: [RegExp, string][] = [
  [/\\/g, '\\\\'],
  [/\*/g, '\\*'],
  [/^-/g, '\\-'],
  [/^\+ /g, '\\+ '],
  [/^(=+)/g, '\\$1'],
  [/^(#{1,6}) /g, '\\$1 '],
  [/`/g, '\\`'],
  [/^~~~/g, '\\~~~'],
  [/\[/g, '\\['],
  [/\]/g, '\\]'],
  [/^>/g, '\\>'],
  [/_/g, '\\_'],
  [/^(\d+)\. /g, '$1\\. '],
];

/** Turndown's escapeMarkdown; text that none of its patterns can touch is returned as it is. */
function escapeMarkdown(s: string): string {
  if (!/[\\*`[\]_]/.test(s) && !/^[-+=#~>\d]/.test(s)) return s;
  for (const [re, to] of ESCAPES) s = s.replace(re, to);
  return s;
}

const NO_FLANK = { leading: '', trailing: '' };
const EDGES = /^(([ \t\r\n]*)(\s*))(?:(?=\S)[\s\S]*\S)?((\s*?)([ \t\r\n]*))$/;
const SPACE_AT = /\s/;

/** Whether the sibling on `side` of kid `i` of `parent` ends (left) or starts (right) with a space. */
function flankedByWhitespace(parent: VEl, i: number, left: boolean): boolean {
  const sib = parent.kids[left ? i - 1 : i + 1];
  if (!sib) return false;
  let s: string;
  if (sib.t === TEXT) s = sib.data;
  else if (sib.t === ELEM && !sib.block) s = textOf(sib);
  else return false;
  return left ? s.endsWith(' ') : s.startsWith(' ');
}

/** Turndown's flankingWhitespace: the edge whitespace an inline element's Markdown keeps outside it. */
function flanking(v: VEl, parent: VEl, i: number): { leading: string; trailing: string } {
  if (v.block) return NO_FLANK;
  const text = textOf(v);
  if (text === '' || (!SPACE_AT.test(text[0]!) && !SPACE_AT.test(text[text.length - 1]!))) return NO_FLANK;
  const m = EDGES.exec(text)!;
  let leading = m[1]!;
  let trailing = m[4]!;
  if (m[2] && flankedByWhitespace(parent, i, true)) leading = m[3]!;
  if (m[6] && flankedByWhitespace(parent, i, false)) trailing = m[5]!;
  return { leading, trailing };
}

function isBlank(v: VEl): boolean {
  return !VOID.has(v.name) && !MEANINGFUL.has(v.name) && v.ws && !v.vm;
}

/**
 * The children's Markdown joined as Turndown joins replacements: the newlines between two parts
 * are the most either brings, at most two. `code`: inside <code> (text is not escaped).
 */
function kidsMarkdown(p: VEl, code: boolean): string {
  let out = ''; // without its trailing newlines
  let nl = 0; // its trailing newlines
  let element = 0;
  const kids = p.kids;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    let r: string;
    if (k.t === TEXT) r = code ? k.data : escapeMarkdown(k.data);
    else if (k.t === ELEM) r = replacement(k, p, i, element++, code || k.name === 'CODE');
    else r = '';
    const n = r.length;
    let lead = 0;
    while (lead < n && r.charCodeAt(lead) === 10) lead++;
    const sep = nl > lead ? nl : lead;
    if (lead === n) {
      nl = sep > 2 ? 2 : sep;
      continue;
    }
    let end = n;
    while (r.charCodeAt(end - 1) === 10) end--;
    out += (sep >= 2 ? '\n\n' : sep === 1 ? '\n' : '') + (lead === 0 && end === n ? r : r.slice(lead, end));
    nl = n - end;
  }
  return nl === 0 ? out : out + '\n'.repeat(nl);
}

function trimNewlines(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 10) a++;
  while (b > a && s.charCodeAt(b - 1) === 10) b--;
  return s.slice(a, b);
}

function cleanAttribute(value: string | null): string {
  return value ? value.replace(/(\n+\s*)+/g, '\n') : '';
}

function escapeLinkDestination(destination: string): string {
  const escaped = destination.replace(/([<>()])/g, '\\$1');
  return escaped.includes(' ') ? `<${escaped}>` : escaped;
}

function escapeLinkTitle(title: string): string {
  return title.replace(/"/g, '\\"');
}

/** `closest(selector)` within the tree (Turndown converted a detached clone: nothing above the root). */
function closestLocal(v: VEl | null, locals: ReadonlySet<string>): VEl | null {
  for (let a = v; a; a = a.parent) if (locals.has(a.local)) return a;
  return null;
}

/** Whether an element holds a block element. */
function holdsBlock(v: VEl): boolean {
  for (const c of v.kids) if (c.t === ELEM && (HOLDS_BLOCK.has(c.name) || holdsBlock(c))) return true;
  return false;
}

/** The first descendant (document order) with this local name. */
function firstDescendant(v: VEl, local: string): VEl | null {
  for (const c of v.kids) {
    if (c.t !== ELEM) continue;
    if (c.local === local) return c;
    const d = firstDescendant(c, local);
    if (d) return d;
  }
  return null;
}

const TABLE_ONLY = new Set(['table']);

/** A cell's text: of the collapsed tree, as Turndown's clone had it ("a <div>b</div>" reads "ab"). */
function cell(v: VEl): string {
  return textOf(v).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/** A data table as a GitHub Markdown table; the first row is the header. */
function tableMarkdown(table: VEl): string {
  const rows: VEl[] = [];
  const collect = (v: VEl): void => {
    for (const c of v.kids) {
      if (c.t !== ELEM) continue;
      if (c.local === 'tr' && closestLocal(c, TABLE_ONLY) === table) rows.push(c);
      collect(c);
    }
  };
  collect(table);
  const grid = rows
    .map((tr) => tr.kids.filter((c): c is VEl => c.t === ELEM && (c.name === 'TD' || c.name === 'TH')).map(cell))
    .filter((r) => r.length > 0);
  if (grid.length === 0) return '';
  const width = Math.max(...grid.map((r) => r.length));
  const pad = (r: string[]): string[] => [...r, ...Array<string>(width - r.length).fill('')];
  const [head, ...body] = grid;
  const line = (r: string[]): string => `| ${pad(r).join(' | ')} |`;
  const caption = firstDescendant(table, 'caption');
  const title = caption && closestLocal(caption, TABLE_ONLY) === table ? `${cell(caption)}\n\n` : '';
  return `\n\n${title}${line(head!)}\n|${' --- |'.repeat(width)}\n${body.map(line).join('\n')}\n\n`;
}

/** A list item: kid `i` of `parent`, `index` among its elements; continuation lines indented under the prefix. */
function listItem(content: string, parent: VEl, i: number, index: number): string {
  let prefix = '-   ';
  if (parent.name === 'OL') {
    const start = parent.el.getAttribute('start');
    prefix = `${start ? Number(start) + index : index + 1}.  `;
  }
  const isParagraph = content.endsWith('\n');
  const body = (trimNewlines(content) + (isParagraph ? '\n' : '')).replace(/\n/g, `\n${' '.repeat(prefix.length)}`);
  return prefix + body + (i + 1 < parent.kids.length ? '\n' : '');
}

function fencedCode(code: VEl): string {
  const className = code.el.getAttribute('class') ?? '';
  const language = /language-(\S+)/.exec(className)?.[1] ?? '';
  const text = textOf(code);
  let fenceSize = 3;
  const inCode = /^`{3,}/gm;
  for (let m = inCode.exec(text); m; m = inCode.exec(text)) if (m[0].length >= fenceSize) fenceSize = m[0].length + 1;
  const fence = '`'.repeat(fenceSize);
  return `\n\n${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}\n\n`;
}

function inlineCode(content: string): string {
  if (!content) return '';
  const code = content.replace(/\r?\n|\r/g, ' ');
  const extraSpace = /^`|^ .*?[^ ].* $|`$/.test(code) ? ' ' : '';
  let delimiter = '`';
  const runs: string[] = code.match(/`+/gm) ?? [];
  while (runs.includes(delimiter)) delimiter += '`';
  return delimiter + extraSpace + code + extraSpace + delimiter;
}

function blockLink(content: string, href: string): string {
  const lines = content.trim().split('\n');
  const i = lines.findIndex((l) => l.trim() !== '');
  if (i < 0) return '';
  const m = /^(\s*#{1,6}\s+)?(.*)$/.exec(lines[i]!)!;
  lines[i] = `${m[1] ?? ''}[${m[2]!.trim()}](${href})`;
  return `\n\n${lines.join('\n')}\n\n`;
}

/**
 * Markdown of element kid `i` of `parent` (`index`: among its element siblings): the first rule
 * whose filter takes it, in Turndown's order (a blank element first, then eti's rules, newest first,
 * then Turndown's, then the removed tags, then the default), with its flanking whitespace outside.
 */
function replacement(v: VEl, parent: VEl, i: number, index: number, code: boolean): string {
  const { leading, trailing } = flanking(v, parent, i);
  const content = (): string => {
    const c = kidsMarkdown(v, code);
    return leading || trailing ? c.trim() : c;
  };
  const { name, lname } = v;
  let r: string;
  if (isBlank(v)) r = v.block ? '\n\n' : '';
  else if (name === 'BUTTON' && closestLocal(v, BUTTON_KEPT_IN)) r = content();
  else if (lname === 'dd') r = `\n${content().trim()}\n\n`;
  else if (lname === 'dt') r = `\n\n**${content().trim()}**\n`;
  else if (name === 'LI' && parent.name === 'OL' && SELF_NUMBERED.test(textOf(v)))
    r = `${content()
      .trim()
      .replace(/^(\d+)\\\./, '$1.')}\n`;
  else if (name === 'A' && v.el.hasAttribute('href') && holdsBlock(v)) r = blockLink(content(), v.el.getAttribute('href') ?? '');
  else if (lname === 'summary') r = `\n\n**${content().trim()}**\n\n`;
  else if (LAYOUT_CELLS.has(name)) r = `\n${content()}\n`;
  else if (lname === 'table') r = firstDescendant(v, 'table') ? `\n\n${content()}\n\n` : tableMarkdown(v);
  else if (lname === 'p') r = `\n\n${content()}\n\n`;
  else if (lname === 'br') r = '  \n';
  else if (HEADINGS.has(lname)) r = `\n\n${'#'.repeat(Number(name.charAt(1)))} ${content()}\n\n`;
  else if (lname === 'blockquote') r = `\n\n${trimNewlines(content()).replace(/^/gm, '> ')}\n\n`;
  else if (lname === 'ul' || lname === 'ol') {
    const c = content();
    r = parent.name === 'LI' && lastElement(parent) === v ? `\n${c}` : `\n\n${c}\n\n`;
  } else if (lname === 'li') r = listItem(content(), parent, i, index);
  else if (name === 'PRE' && v.kids[0]?.t === ELEM && v.kids[0].name === 'CODE') r = fencedCode(v.kids[0]);
  else if (lname === 'hr') r = '\n\n* * *\n\n';
  else if (name === 'A' && v.el.getAttribute('href')) {
    const href = escapeLinkDestination(v.el.getAttribute('href')!);
    const title = escapeLinkTitle(cleanAttribute(v.el.getAttribute('title')));
    r = `[${content()}](${href}${title ? ` "${title}"` : ''})`;
  } else if (lname === 'em' || lname === 'i') {
    const c = content();
    r = c.trim() ? `_${c}_` : '';
  } else if (lname === 'strong' || lname === 'b') {
    const c = content();
    r = c.trim() ? `**${c}**` : '';
  } else if (name === 'CODE' && !(parent.name === 'PRE' && parent.kids.length === 1)) r = inlineCode(content());
  else if (lname === 'img') {
    const alt = escapeMarkdown(cleanAttribute(v.el.getAttribute('alt')));
    const src = escapeLinkDestination(v.el.getAttribute('src') ?? '');
    const title = cleanAttribute(v.el.getAttribute('title'));
    r = src ? `![${alt}](${src}${title ? ` "${escapeLinkTitle(title)}"` : ''})` : '';
  } else if (REMOVED.has(lname)) r = '';
  else r = v.block ? `\n\n${content()}\n\n` : content();
  return leading + r + trailing;
}

function lastElement(v: VEl): VEl | undefined {
  for (let i = v.kids.length - 1; i >= 0; i--) {
    const k = v.kids[i]!;
    if (k.t === ELEM) return k;
  }
  return undefined;
}

/** Markdown of an element; links must already be absolute. Reads the element, changes nothing. */
export function toMarkdown(root: Element): string {
  return kidsMarkdown(readTree(root), false)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
