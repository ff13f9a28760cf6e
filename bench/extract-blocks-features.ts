/**
 * The leaf blocks of eti's finished root and what each looks like, for bench/extract-blocks.ts
 * (issue 14: can a per-block model learned on one half of the public set drop what the truth
 * leaves out on the other half?). Language-neutral features: shape, links, position, class words.
 */
import { BLOCK, blockLines, HEADING_TAGS } from '../src/pipeline/extract/text.js';

/** One leaf block: an element with text and no block inside it, or a table row. */
export interface LeafBlock {
  el: Element;
  text: string;
  /** Characters of text inside links. */
  linkChars: number;
}

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'title']);

/** Whether `el` holds a block element (a walk: linkedom answers getElementsByTagName('*') with nothing). */
function hasBlockInside(el: Element): boolean {
  const stack = [...el.children];
  for (let c = stack.pop(); c; c = stack.pop()) {
    if (BLOCK.has(c.localName) || c.localName === 'tr') return true;
    stack.push(...c.children);
  }
  return false;
}

function linkTextOf(el: Element): number {
  let n = 0;
  const stack = [...el.children];
  for (let c = stack.pop(); c; c = stack.pop()) {
    if (c.localName === 'a') n += (c.textContent ?? '').replace(/\s+/g, ' ').trim().length;
    else stack.push(...c.children);
  }
  return n;
}

/** The leaf blocks of `root` in document order. */
export function leafBlocks(root: Element): LeafBlock[] {
  const out: LeafBlock[] = [];
  const walk = (el: Element): void => {
    if (SKIP.has(el.localName)) return;
    const leaf = el.localName === 'tr' || (BLOCK.has(el.localName) && !hasBlockInside(el));
    if (leaf) {
      // Its lines as the page's text has them: a row's cells apart ("Sats 2 | 16 416", not "Sats 216 416").
      const text = blockLines(el).join(' ');
      if (text) out.push({ el, text, linkChars: el.localName === 'a' ? text.length : linkTextOf(el) });
      return;
    }
    for (const c of el.children) walk(c);
  };
  walk(root);
  return out;
}

/** Groups of class/id words, each one feature: whether an ancestor (up to the root) carries one. */
const CLASS_GROUPS: readonly RegExp[] = [
  /nav|menu|breadcrumb/i,
  /share|social|sharing|deling/i,
  /related|recommend|more|popular|trending|relatert/i,
  /comment|reply|respond|discuss/i,
  /meta|byline|author|date|time|posted/i,
  /tag|categor|label|topic|keyword/i,
  /footer|header|masthead|banner/i,
  /side|aside|widget|rail/i,
  /promo|advert|sponsor|\bads?\b|newsletter|subscribe|signup/i,
  /card|teaser|tile|item|grid/i,
  /caption|credit|figure|photo|image|img/i,
  /btn|button|cta|action|toolbar/i,
  /price|cart|buy|product|offer|stock/i,
  /review|rating|star|vote/i,
  /content|article|post|body|entry|text|main|story/i,
  /user|profile|avatar|member|signature/i,
];

const ANCESTOR_TAGS = ['nav', 'aside', 'footer', 'header', 'form', 'figure', 'ul', 'ol', 'table', 'blockquote', 'article', 'section'];

const classKey = (el: Element): string => `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;

/** The names of the features, in order (for the trainer's report and the model file). */
export const FEATURE_NAMES: readonly string[] = [
  'logChars',
  'logWords',
  'linkDensity',
  'allLink',
  'digitShare',
  'endsSentence',
  'commas',
  'titleCase',
  'isHeading',
  'isLi',
  'isP',
  'isRow',
  'isPre',
  'isDiv',
  'position',
  'proseBeforeShare',
  'proseAfterShare',
  'depth',
  'dupes',
  'logRootChars',
  'siblingsLinkDensity',
  'siblingsShort',
  'ownShare',
  ...CLASS_GROUPS.map((_, i) => `class${i}`),
  ...ANCESTOR_TAGS.map((t) => `in_${t}`),
  'selfClassChrome',
];

const isProse = (b: LeafBlock): boolean => b.text.length >= 120 && /[.!?:]/.test(b.text) && b.linkChars / b.text.length < 0.3;

/** One feature vector per block of `blocks` (all of `root`'s leaf blocks, in order). */
export function blockFeatures(root: Element, blocks: readonly LeafBlock[]): number[][] {
  const total = blocks.reduce((s, b) => s + b.text.length, 0) || 1;
  const proseTotal = blocks.reduce((s, b) => s + (isProse(b) ? b.text.length : 0), 0) || 1;
  const counts = new Map<string, number>();
  for (const b of blocks) counts.set(b.text, (counts.get(b.text) ?? 0) + 1);
  // Per parent: its blocks' link density and share of short blocks.
  const byParent = new Map<Element | null, LeafBlock[]>();
  for (const b of blocks) {
    const p = b.el.parentElement;
    const list = byParent.get(p) ?? [];
    list.push(b);
    byParent.set(p, list);
  }
  let before = 0;
  let proseBefore = 0;
  return blocks.map((b) => {
    const chars = b.text.length;
    const words = b.text.split(' ');
    const digits = (b.text.match(/\d/g) ?? []).length;
    const caps = words.filter((w) => /^\p{Lu}/u.test(w)).length;
    const tag = b.el.localName;
    const groups = CLASS_GROUPS.map(() => 0);
    const tags = ANCESTOR_TAGS.map(() => 0);
    let depth = 0;
    for (let a: Element | null = b.el; a && a !== root; a = a.parentElement) {
      depth++;
      const key = classKey(a);
      if (key.trim()) CLASS_GROUPS.forEach((re, i) => (groups[i] = groups[i] || (re.test(key) ? 1 : 0)));
      const ti = ANCESTOR_TAGS.indexOf(a.localName);
      if (ti >= 0) tags[ti] = 1;
    }
    const sibs = byParent.get(b.el.parentElement) ?? [b];
    const sibChars = sibs.reduce((s, x) => s + x.text.length, 0) || 1;
    const sibLinks = sibs.reduce((s, x) => s + x.linkChars, 0);
    const f = [
      Math.log1p(chars),
      Math.log1p(words.length),
      b.linkChars / chars,
      b.linkChars >= chars * 0.95 ? 1 : 0,
      digits / chars,
      /[.!?]["')\]]?$/.test(b.text) ? 1 : 0,
      Math.min(5, (b.text.match(/,/g) ?? []).length) / 5,
      words.length ? caps / words.length : 0,
      HEADING_TAGS.includes(tag) ? 1 : 0,
      tag === 'li' ? 1 : 0,
      tag === 'p' ? 1 : 0,
      tag === 'tr' ? 1 : 0,
      tag === 'pre' ? 1 : 0,
      tag === 'div' ? 1 : 0,
      before / total,
      proseBefore / proseTotal,
      1 - (proseBefore + (isProse(b) ? chars : 0)) / proseTotal,
      Math.min(depth, 20) / 20,
      Math.min((counts.get(b.text) ?? 1) - 1, 3) / 3,
      Math.log1p(total) / 10,
      sibLinks / sibChars,
      sibs.filter((x) => x.text.length < 40).length / sibs.length,
      chars / total,
      ...groups,
      ...tags,
      /(?:share|social|related|nav|menu|footer|breadcrumb|tags?|meta|byline|comment|promo|newsletter)/i.test(classKey(b.el)) ? 1 : 0,
    ];
    before += chars;
    if (isProse(b)) proseBefore += chars;
    return f;
  });
}
