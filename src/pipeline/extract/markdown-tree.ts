/**
 * The light tree `toMarkdown` works on (see markdown.ts): the element read once, whitespace
 * collapsed on the way as Turndown's collapse-whitespace does, the DOM left untouched.
 */
export const TEXT = 3;
export const ELEM = 1;
const OTHER = 8;

interface VText {
  t: typeof TEXT;
  /** Collapsed text (raw inside <pre>). */
  data: string;
  parent: VEl;
}

/** A comment or processing instruction: only kept inside <pre>, which is not collapsed. */
interface VOther {
  t: typeof OTHER;
}

export interface VEl {
  t: typeof ELEM;
  el: Element;
  /** nodeName: what Turndown's and eti's function filters compare. */
  name: string;
  /** nodeName in lower case: what Turndown's string filters compare. */
  lname: string;
  /** localName: what CSS type selectors (querySelector, closest) compare. */
  local: string;
  /** In the HTML namespace. */
  html: boolean;
  block: boolean;
  parent: VEl | null;
  kids: VNode[];
  /** Whether the text content is whitespace only. */
  ws: boolean;
  /** Whether it has a void or meaningful-when-blank HTML descendant (Turndown's hasVoid, hasMeaningfulWhenBlank). */
  vm: boolean;
  /** Text content (of the collapsed tree), once asked for. */
  text: string | undefined;
}

type VNode = VText | VEl | VOther;

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'AUDIO',
  'BLOCKQUOTE',
  'BODY',
  'CANVAS',
  'CENTER',
  'DD',
  'DIR',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'FRAMESET',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HGROUP',
  'HR',
  'HTML',
  'ISINDEX',
  'LI',
  'MAIN',
  'MENU',
  'NAV',
  'NOFRAMES',
  'NOSCRIPT',
  'OL',
  'OUTPUT',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TBODY',
  'TD',
  'TFOOT',
  'TH',
  'THEAD',
  'TR',
  'UL',
]);
export const VOID = new Set([
  'AREA',
  'BASE',
  'BR',
  'COL',
  'COMMAND',
  'EMBED',
  'HR',
  'IMG',
  'INPUT',
  'KEYGEN',
  'LINK',
  'META',
  'PARAM',
  'SOURCE',
  'TRACK',
  'WBR',
]);
export const MEANINGFUL = new Set(['A', 'TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TH', 'TD', 'IFRAME', 'SCRIPT', 'AUDIO', 'VIDEO']);
/** getElementsByTagName of those names matches HTML elements by lower-case local name. */
const VOID_OR_MEANINGFUL_LOCAL = new Set([...VOID, ...MEANINGFUL].map((n) => n.toLowerCase()));
const HTML_NS = 'http://www.w3.org/1999/xhtml';

const lower = new Map<string, string>();

function vel(el: Element, parent: VEl | null): VEl {
  const name = el.nodeName;
  let lname = lower.get(name);
  if (lname === undefined) lower.set(name, (lname = name.toLowerCase()));
  const html = el.namespaceURI === HTML_NS;
  return {
    t: ELEM,
    el,
    name,
    lname,
    local: html ? lname : el.localName,
    html,
    block: BLOCK.has(name),
    parent,
    kids: [],
    ws: true,
    vm: false,
    text: undefined,
  };
}

const WS_ONLY = /^\s*$/;

/** Carries a finished child's flags up to its parent. */
function lift(parent: VEl, child: VEl): void {
  if (!child.ws) parent.ws = false;
  if (child.vm || (child.html && VOID_OR_MEANINGFUL_LOCAL.has(child.local))) parent.vm = true;
}

/** Turndown's collapseWhitespace state: the last kept text and whether a leading space survives. */
interface Collapse {
  prevText: VText | null;
  keepLeadingWs: boolean;
}

/** collapseWhitespace's treatment of an element, on entering it and (when it has children) on leaving it. */
function visit(v: VEl, st: Collapse): void {
  if (v.block || v.name === 'BR') {
    if (st.prevText) st.prevText.data = st.prevText.data.replace(/ $/, '');
    st.prevText = null;
    st.keepLeadingWs = false;
  } else if (VOID.has(v.name)) {
    st.prevText = null;
    st.keepLeadingWs = true;
  } else if (st.prevText) {
    st.keepLeadingWs = false;
  }
}

/** The children of `v`, whitespace collapsed as collapseWhitespace does in document order; comments dropped. */
function collapseKids(v: VEl, st: Collapse): void {
  for (let c = v.el.firstChild; c; c = c.nextSibling) {
    const type = c.nodeType;
    if (type === 3 || type === 4) {
      let text = (c as CharacterData).data.replace(/[ \r\n\t]+/g, ' ');
      if ((!st.prevText || st.prevText.data.endsWith(' ')) && !st.keepLeadingWs && text.charCodeAt(0) === 32) text = text.slice(1);
      if (!text) continue;
      const vt: VText = { t: TEXT, data: text, parent: v };
      v.kids.push(vt);
      st.prevText = vt;
      if (v.ws && !WS_ONLY.test(text)) v.ws = false;
    } else if (type === 1) {
      const k = vel(c as Element, v);
      v.kids.push(k);
      visit(k, st);
      if (c.firstChild) {
        // <pre> is left as it is: collapseWhitespace does not enter it.
        if (k.name === 'PRE') rawKids(k);
        else {
          collapseKids(k, st);
          visit(k, st);
        }
      }
      lift(v, k);
    }
  }
}

/** The children of `v` as they are (inside <pre>). */
function rawKids(v: VEl): void {
  for (let c = v.el.firstChild; c; c = c.nextSibling) {
    const type = c.nodeType;
    if (type === 3 || type === 4) {
      const data = (c as CharacterData).data;
      v.kids.push({ t: TEXT, data, parent: v });
      if (v.ws && !WS_ONLY.test(data)) v.ws = false;
    } else if (type === 1) {
      const k = vel(c as Element, v);
      v.kids.push(k);
      rawKids(k);
      lift(v, k);
    } else {
      v.kids.push({ t: OTHER });
    }
  }
}

/** The element as a light tree, whitespace collapsed as Turndown's RootNode does on its clone. */
export function readTree(el: Element): VEl {
  const root = vel(el, null);
  if (!el.firstChild) return root;
  if (root.name === 'PRE') {
    rawKids(root);
    return root;
  }
  const st: Collapse = { prevText: null, keepLeadingWs: false };
  collapseKids(root, st);
  const last = st.prevText;
  if (last) {
    last.data = last.data.replace(/ $/, '');
    if (!last.data) last.parent.kids.splice(last.parent.kids.indexOf(last), 1);
  }
  return root;
}

export function textOf(v: VEl): string {
  if (v.text !== undefined) return v.text;
  let s = '';
  for (const k of v.kids) {
    if (k.t === TEXT) s += k.data;
    else if (k.t === ELEM) s += textOf(k);
  }
  v.text = s;
  return s;
}
