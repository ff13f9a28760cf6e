/**
 * Forum and discussion threads (issue 14): a thread is a run of sibling post units of one kind
 * (same tag and first class word), each with an author. A post is its author line, its date and
 * its body; the rest of it (avatar, user title, join date and post counts, signature, post number,
 * reaction counts, "Reply"/"Quote"/"Report" rows) is the forum's furniture around each post.
 *
 * The body is found by structure, not by the forum software's class names (see `bodyPath`): the
 * element path, the same in every post, that holds most of the posts' text with nothing but short
 * lines beside it. What lies outside it, the author's name and the date goes.
 */
import { allElements, classWords } from './clean.js';
import { normalizeLine } from './text.js';
import { dropAddressLines } from './forum-chrome.js';

/** class/id words that mark a post's author. */
const AUTHOR_CLASS =
  /(?:^|[\s_-])(?:author|username|user-?name|poster|postauthor|post-?author|creator|member-?name|nick(?:name)?)(?:$|[\s_-])/i;
/** Paths of member profile pages (Discourse /u/x, XenForo /members/x, phpBB viewprofile, vBulletin member.php). */
const PROFILE_HREF = /\/(?:u|users?|members?|profiles?)\/[^/?#]+|mode=viewprofile|member\.php\?/i;
/** Sign-up and log-in links, which sit under /user/ too. */
const ACCOUNT_HREF = /\/(?:register|login|log-in|signup|sign-up|logout)\b/i;
/** Tags a post unit can have. */
const UNIT_TAGS = new Set(['div', 'article', 'section', 'li', 'tr', 'table']);
/** A short line that is a date or a time ago. */
const DATE_TEXT =
  /\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b|\d\s*\p{L}+ (?:ago|siden)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d/iu;

/** A date of the author's profile, not of the post: "Join Date: Mar 2016", "Joined: 2011", "Medlem siden 2019". */
const PROFILE_DATE = /^(?:join(?:ed)?(?: date)?|registered|member since|medlem siden|registrert)\b/i;

/** Attribute marking a post already reduced (pruneChrome runs on a root more than once). */
const DONE = 'data-eti-post';
/** Attribute marking a reduced post's body. */
export const BODY = 'data-eti-body';

/** The signature of an element: its tag and first `words` class words (numbers blanked). */
function kind(el: Element, words = 1): string {
  const first = classWords(el.getAttribute('class')).trim().split(/\s+/).slice(0, words).join('.');
  return `${el.localName}.${first.replace(/\d+/g, '#')}`;
}

/** Whether `el` itself marks an author (not counting its descendants). */
export function marksAuthor(el: Element): boolean {
  if (/\b(?:author|creator)\b/.test(el.getAttribute('itemprop') ?? '') || el.getAttribute('rel') === 'author') return true;
  if (el.hasAttribute('data-author') || el.hasAttribute('data-username')) return true;
  if (AUTHOR_CLASS.test(`${classWords(el.getAttribute('class'))} ${el.getAttribute('id') ?? ''}`)) return true;
  if (el.localName !== 'a') return false;
  const href = el.getAttribute('href') ?? '';
  return PROFILE_HREF.test(href) && !ACCOUNT_HREF.test(href) && normalizeLine(el.textContent ?? '') !== '';
}

/** The first element under `unit` (exclusive) that marks its author, or null. */
export function authorOf(unit: Element): Element | null {
  for (const el of allElements(unit)) if (el !== unit && marksAuthor(el)) return el;
  return null;
}

/** Which elements of `all` (a subtree in document order) hold an author mark below them, bottom-up (linear). */
function authorBelow(all: readonly Element[]): Set<Element> {
  const out = new Set<Element>();
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i]!;
    for (const c of el.children) {
      if (out.has(c) || marksAuthor(c)) {
        out.add(el);
        break;
      }
    }
  }
  return out;
}

/** Posts of a thread under `root`: the innermost large group of same-kind siblings (at least 2) that each have an author. */
export function findPosts(root: Element): Element[] {
  const all = allElements(root);
  const withAuthor = authorBelow(all);
  const len = textLengths(all).text;
  const groups: { units: Element[]; text: number }[] = [];
  for (const parent of all) {
    if (!withAuthor.has(parent)) continue;
    const byKind = new Map<string, Element[]>();
    for (const c of parent.children) {
      // An empty sibling (vBulletin's closing anchor, a spacer) is no post without an author.
      if (!UNIT_TAGS.has(c.localName) || (len.get(c) ?? 0) === 0) continue;
      const k = kind(c);
      const g = byKind.get(k);
      if (g) g.push(c);
      else byKind.set(k, [c]);
    }
    for (const g of byKind.values()) {
      const authored = g.filter((u) => withAuthor.has(u)).length;
      if (g.length < 2 || authored < 2 || authored < g.length * 0.8) continue;
      groups.push({ units: g, text: g.reduce((n, u) => n + (len.get(u) ?? 0), 0) });
    }
  }
  groups.sort((a, b) => b.text - a.text);
  let best = groups[0];
  if (!best) return [];
  // A block of posts inside a larger repeated block (XenForo's message block): the posts are the units.
  for (const g of groups) {
    if (g !== best && g.text >= best.text * 0.5 && g.units.every((u) => best!.units.some((b) => b !== u && b.contains(u)))) best = g;
  }
  return best.units;
}

interface Lengths {
  /** Text length of each element. */
  text: Map<Element, number>;
  /** Length of each element's longest text node. */
  longest: Map<Element, number>;
}

/** Text lengths of every element in `all` (a subtree in document order), bottom-up (linear); `skip`ped elements count 0. */
function textLengths(all: readonly Element[], skip: (el: Element) => boolean = () => false): Lengths {
  const text = new Map<Element, number>();
  const longest = new Map<Element, number>();
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i]!;
    let t = 0;
    let l = 0;
    if (!skip(el)) {
      for (let c = el.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          const n = normalizeLine((c as Text).data).length;
          t += n;
          l = Math.max(l, n);
        } else if (c.nodeType === 1) {
          t += text.get(c as Element) ?? 0;
          l = Math.max(l, longest.get(c as Element) ?? 0);
        }
      }
    }
    text.set(el, t);
    longest.set(el, l);
  }
  return { text, longest };
}

/** The longest text node of `parent` outside `child` (its other children and its own text). */
function longestBeside(parent: Element, child: Element, longest: Map<Element, number>): number {
  let l = 0;
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c === child) continue;
    if (c.nodeType === 3) l = Math.max(l, normalizeLine((c as Text).data).length);
    else if (c.nodeType === 1) l = Math.max(l, longest.get(c as Element) ?? 0);
  }
  return l;
}

interface Slot {
  units: Set<Element>;
  /** Whether some post holds the path more than once. */
  repeated: boolean;
  /** Text of the path's elements over all posts, the authors' panes not counted. */
  text: number;
  /** How many posts have a long line (`LONG_LINE`) beside the path's element (in its parent, outside it). */
  beside: number;
  parent: string;
}

/**
 * A table row's or cell's position among its siblings ("@1"), else "": a post laid out as a table
 * (vBulletin 3, phpBB 2) has a row for its date, one for its author and text, one for its
 * controls, all of one kind; the position tells which row holds the text in every post.
 */
function cellIndex(el: Element): string {
  if (el.localName !== 'tr' && el.localName !== 'td') return '';
  return `@${Array.prototype.indexOf.call(el.parentElement?.children ?? [], el)}`;
}

/** A child path holding at least this share of its parent's text (over all posts) may hold the body. */
const MAJOR = 0.5;
/**
 * A text node this long beside the body is content (a reply after a quote, the words around a
 * code block) when posts have one there; one post's long signature is not.
 */
const LONG_LINE = 80;

/**
 * The path (tags and first class words from the post down) of the posts' body: from the post
 * down, while one child path, held once by most posts, holds most of the text (`MAJOR`) and in
 * few posts a long line stands beside it (short ones are a date, post counts, "Reply"). The author's pane is
 * not counted: a signature or system specs there can outweigh a short reply. A quote is never the body.
 */
function bodyPath(posts: readonly Element[], paths: Map<Element, string>): string | null {
  const slots = new Map<string, Slot>();
  let total = 0;
  for (const post of posts) {
    const all = allElements(post);
    const len = textLengths(all, (el) => el !== post && marksAuthor(el));
    total += len.text.get(post) ?? 0;
    for (const el of all) {
      if (el === post || !el.parentElement) continue;
      const parent = paths.get(el.parentElement) ?? '';
      const p = `${parent}>${kind(el, 2)}${cellIndex(el)}`;
      paths.set(el, p);
      let s = slots.get(p);
      if (!s) slots.set(p, (s = { units: new Set(), repeated: false, text: 0, beside: 0, parent }));
      if (s.units.has(post)) s.repeated = true;
      s.units.add(post);
      s.text += len.text.get(el) ?? 0;
      // Only the largest child of a parent can be the body: the walk below asks for no other.
      if ((len.text.get(el) ?? 0) * 2 >= (len.text.get(el.parentElement) ?? 0))
        if (longestBeside(el.parentElement, el, len.longest) >= LONG_LINE) s.beside++;
    }
  }
  let cur = '';
  let curText = total;
  for (;;) {
    let best: [string, Slot] | null = null;
    for (const [p, s] of slots) if (s.parent === cur && (!best || s.text > best[1].text)) best = [p, s];
    if (!best) break;
    const [p, s] = best;
    if (s.repeated || s.units.size < Math.max(2, posts.length * 0.6) || s.text === 0 || s.text < curText * MAJOR) break;
    if (s.beside >= Math.max(2, s.units.size * 0.2) || p.endsWith('>blockquote')) break;
    cur = p;
    curText = s.text;
  }
  return cur === '' ? null : cur;
}

/** Whether `el`'s text is a name: 2 to 80 characters (an avatar's initial is not). */
function isName(el: Element): boolean {
  const n = normalizeLine(el.textContent ?? '').length;
  return n >= 2 && n <= 80;
}

/** The author's name in `post` outside its `body`: the first itemprop=name, else the first author mark with a name's length. */
function nameLine(post: Element, body: Element): Element | null {
  const all = allElements(post).filter((el) => el !== post && !body.contains(el));
  return all.find((el) => el.getAttribute('itemprop') === 'name' && isName(el)) ?? all.find((el) => marksAuthor(el) && isName(el)) ?? null;
}

/**
 * The first short date line of `post` outside its body: a <time> (with its label, "Posted <time>",
 * when its parent holds no other number), else a short element whose text, none of it in a child
 * element (an icon beside it is no matter), is a date and no profile's date (`PROFILE_DATE`).
 */
function dateLine(post: Element, body: Element, author: Element | null): Element | null {
  let fallback: Element | null = null;
  for (const el of allElements(post)) {
    if (body.contains(el)) continue;
    if (el.localName === 'time') {
      const own = normalizeLine(el.textContent ?? '');
      let line = el;
      for (let a = el.parentElement; a && a !== post && !a.contains(body) && !(author && a.contains(author)); a = a.parentElement) {
        const t = normalizeLine(a.textContent ?? '');
        if (t.length > 40 || /\d/.test(t.replace(own, ''))) break;
        line = a;
      }
      return line;
    }
    if (fallback || [...el.children].some((c) => normalizeLine(c.textContent ?? '') !== '')) continue;
    const t = normalizeLine(el.textContent ?? '');
    if (t.length > 0 && t.length <= 60 && DATE_TEXT.test(t) && !PROFILE_DATE.test(t)) fallback = el;
  }
  return fallback;
}

/**
 * Whether `post` is a teaser of another page rather than a post: outside its body and its author
 * it has a heading that links to another page (a phpBB post's title links to the post itself, "#p…").
 */
function isTeaser(post: Element, body: Element): boolean {
  for (const el of allElements(post)) {
    if (!/^h[1-6]$/.test(el.localName) || body.contains(el)) continue;
    let inAuthor = false;
    for (let a: Element | null = el; a && a !== post; a = a.parentElement) if (marksAuthor(a)) inAuthor = true;
    if (inAuthor) continue;
    for (const a of el.getElementsByTagName('a')) if (!(a.getAttribute('href') ?? '#').includes('#') && !marksAuthor(a)) return true;
  }
  return false;
}

/** Each post of `posts` (a thread, see `findPosts`) with its body (see `bodyPath`), or null when they are no thread: teasers of other pages. */
export function postBodies(posts: readonly Element[]): Map<Element, Element> | null {
  if (posts.length < 2) return null;
  const paths = new Map<Element, string>(posts.map((p) => [p, '']));
  const path = bodyPath(posts, paths);
  if (!path) return null;
  const bodies = new Map<Element, Element>();
  for (const post of posts) {
    const body = allElements(post).find((el) => paths.get(el) === path);
    if (body) bodies.set(post, body);
  }
  // Teasers of other pages (a listing's cards with a byline) are not a thread.
  if ([...bodies].filter(([post, body]) => isTeaser(post, body)).length >= bodies.size / 2) return null;
  return bodies;
}

/**
 * Reduce each post of the thread under `root` to its author line, date and body: the rest of the
 * post goes. The author and date lines are set before the body in a plain element (their own
 * class names often say "user", which other rules take for chrome). `found` is what `findPosts` finds
 * on `root` as it is, when the caller has it already. Returns the characters removed.
 */
export function prunePosts(root: Element, found: readonly Element[] = findPosts(root)): number {
  const posts = found.filter((p) => !p.hasAttribute(DONE));
  const bodies = postBodies(posts);
  if (!bodies) return 0;
  const len = textLengths(allElements(root)).text;
  let removed = 0;
  for (const [post, body] of bodies) {
    removed += dropAddressLines(body);
    const author = nameLine(post, body);
    const name = author ? normalizeLine(author.textContent ?? '') : '';
    const dateEl = dateLine(post, body, author);
    const date = dateEl ? normalizeLine(dateEl.textContent ?? '') : '';
    // The body stays, and so do replies nested in the post (a threaded discussion): they are posts of their own.
    const kept = new Set<Element>([body]);
    const postKind = kind(post);
    if (!postKind.endsWith('.')) {
      for (const el of allElements(post)) if (el !== post && kind(el) === postKind && ![...kept].some((k) => k.contains(el))) kept.add(el);
    }
    const above = new Set<Element>();
    for (const k of kept) for (let a = k.parentElement; a && a !== post; a = a.parentElement) above.add(a);
    for (const el of allElements(post)) {
      const parent = el.parentElement;
      if (el === post || !parent || !(parent === post || above.has(parent)) || above.has(el) || kept.has(el)) continue;
      removed += len.get(el) ?? 0;
      el.remove();
    }
    const doc = post.ownerDocument;
    const head = doc.createElement('div');
    for (const line of [name, date]) {
      if (line === '') continue;
      const p = doc.createElement('p');
      p.textContent = line;
      head.appendChild(p);
    }
    removed -= name.length + date.length;
    body.parentElement?.insertBefore(head, body);
    post.setAttribute(DONE, '');
    body.setAttribute(BODY, '');
  }
  // The furniture around goes only from a discussion page: the posts most of its text, not a
  // product's reviews or an article's comments under content of their own.
  const postText = posts.reduce((n, p) => n + (len.get(p) ?? 0), 0);
  return removed + (postText >= (len.get(root) ?? 0) * DISCUSSION_SHARE ? pruneAroundPosts(root, posts) : 0);
}

/** The share of a page's text its posts hold on a discussion page. */
const DISCUSSION_SHARE = 0.5;

/** A block around a thread this short, with no line of `LONG_LINE`, is the board's furniture. */
const AROUND_MAX_CHARS = 300;

/**
 * The board's furniture around a thread: from the posts' parent up to `root`, the sibling blocks
 * that hold no post, no heading h1, table or <pre> and only short lines (pagination, "Topic
 * archived", "You must log in to reply"); in the block that holds the thread's h1, the same
 * blocks beside it ("Thread starter", "Start date") and the h1 itself. The text of a discussion
 * page is its posts: the thread's title stays the page's title (extract() reads it before this
 * prune) and the Markdown's heading (withHeading).
 */
function pruneAroundPosts(root: Element, posts: readonly Element[]): number {
  const { text, longest } = textLengths(allElements(root));
  const postSet = new Set(posts);
  // The thread's title goes only when it is the one <h1>: else a post's own <h1> would become the page's title.
  const lonelyH1 = root.getElementsByTagName('h1').length === 1;
  const drop: Element[] = [];
  const container = posts[0]?.parentElement;
  for (let a: Element | null = container ?? null; a && root.contains(a); a = a.parentElement) {
    const blocks = a === container ? [...a.children].filter((c) => !postSet.has(c)) : [];
    const p = a === root ? null : a.parentElement;
    if (p) blocks.push(...[...p.children].filter((c) => c !== a));
    for (let c = blocks.pop(); c; c = blocks.pop()) {
      if (c.hasAttribute(DONE) || c.querySelector('[data-eti-post]')) continue;
      // The thread's heading block: the heading and the "Thread starter"/"Start date" lines beside it go.
      if (c.localName !== 'h1' && c.getElementsByTagName('h1').length > 0) blocks.push(...c.children);
      const t = text.get(c) ?? 0;
      if (c.localName === 'h1' && !lonelyH1) continue;
      if (t === 0 || t > AROUND_MAX_CHARS || (c.localName !== 'h1' && (longest.get(c) ?? 0) >= LONG_LINE)) continue;
      if (c.querySelector('h1, table, pre')) continue;
      drop.push(c);
    }
    if (a === root) break;
  }
  let removed = 0;
  for (const el of drop) {
    removed += text.get(el) ?? 0;
    el.remove();
  }
  return removed;
}
