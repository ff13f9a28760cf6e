/**
 * The board's chrome inside and around a thread's posts (issue 14): its notices to the visitor
 * ("browsing as a guest", "logg inn for å kommentere"), a comment section's controls and counts,
 * link previews of other sites' pages (reduced to their heading) and post lines that are only the
 * address of a picture or video. Used by forum.ts (a post's body) and prune.ts (per block).
 */
import { allElements } from './clean.js';
import { normalizeLine } from './text.js';

/**
 * The start of a forum's notice to its visitor, in English and Norwegian: the warning about an out
 * of date browser, "You're browsing … as a guest", "Sign in or register to comment", "You must log
 * in to reply". Read at the start of a short block (`NOTICE_MAX_CHARS`) with no digit.
 */
const BOARD_NOTICE =
  /^(?:you are using an? (?:out[- ]of[- ]date|outdated|unsupported) (?:web )?browser|du bruker en (?:utdatert|gammel) nettleser|you(?:'re|’re| are) (?:browsing|viewing|reading) [^.]{0,60}\bas an? (?:guest|unregistered)|du (?:leser|besøker) [^.]{0,60}\bsom gjest|(?:please )?(?:sign in|log in|login|register|sign up|join)(?: or (?:sign in|log in|register|sign up|create an account))? to (?:comment|reply|post|participate|join the (?:conversation|discussion))|you must (?:be )?(?:log(?:ged)? in|sign(?:ed)? in|register(?:ed)?)(?: or (?:log in|sign in|register))? to (?:comment|reply|post)|(?:du må )?(?:være )?(?:logg(?:e|et)? inn|registrer(?:e|t)? deg)(?: eller registrer(?:e|t)? deg)? for å (?:kommentere|skrive innlegg|delta i (?:debatten|diskusjonen)|svare i tråden))/iu;
/** A forum notice is at most this long. */
export const NOTICE_MAX_CHARS = 300;

/** Whether a block's text `line` (normalised) is a forum's notice to its visitor (`BOARD_NOTICE`), not the thread. */
export function isBoardNotice(line: string): boolean {
  return line.length <= NOTICE_MAX_CHARS && !/\d/.test(line) && BOARD_NOTICE.test(line);
}

/**
 * The whole text of a control or count of a comment section, in English and Norwegian: "Add a
 * comment", "Leave a reply", "Show 3 more comments", "0 Comments", "Skriv en kommentar". Tested on
 * short blocks, buttons and headings outside running text.
 */
const COMMENT_CONTROL =
  /^(?:add a comment|leave a (?:comment|reply)|(?:write|post) a comment|show \d+ more comments?|(?:\d+|no) comments?(?: yet)?|skriv en kommentar|legg igjen en kommentar|(?:\d+|ingen) kommentarer?)$/i;

/** Whether a short element's text `line` (normalised) is a comment section's control or count. */
export function isCommentControl(line: string): boolean {
  return line.length <= 40 && COMMENT_CONTROL.test(line);
}

/**
 * The whole text of a comment section's heading, in English and Norwegian: "Discussion about this
 * post", "Comments", "3 Comments", "Responses (2)", "Join the discussion", "Kommentarer",
 * "Diskusjon".
 */
const DISCUSSION_HEADING =
  /^(?:discussion about this (?:post|article|story|episode)|(?:\d+ )?(?:comments?|responses?|replies|discussions?)(?: \(\d+\))?|join the (?:discussion|conversation)|(?:\d+ )?kommentarer?(?: \(\d+\))?|diskusjon(?:en)?)$/i;
/** An empty comment section is at most this long, */
const EMPTY_SECTION_MAX_CHARS = 200;
/** and each of its lines (tabs, sort options, "No posts", "Be the first to comment") at most this long. */
const EMPTY_SECTION_LINE_MAX = 40;

/** Whether every text node under `el` is at most `EMPTY_SECTION_LINE_MAX` characters and none but `heading`'s holds a digit. */
function controlsOnly(el: Element, heading: Element): boolean {
  const walker = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = normalizeLine((n as Text).data);
    if (t.length > EMPTY_SECTION_LINE_MAX || (/\d/.test(t) && !heading.contains(n))) return false;
  }
  return true;
}

/**
 * The box of a comment section's heading `heading` (a heading element) that holds no comment, or
 * null: the largest box around the heading, inside `root`, of at most `EMPTY_SECTION_MAX_CHARS`
 * (`text`: each element's text length) with nothing but short lines (the tabs "Comments |
 * Restacks", the order "Top | Latest", "No posts", "Be the first to comment", a count): an empty
 * section goes whole, a section with comments loses its heading's box only. A bare heading
 * stays (some boards' truth keeps "Comments" above the replies).
 */
export function emptyDiscussion(heading: Element, root: Element, text: ReadonlyMap<Element, number>): Element | null {
  if (!DISCUSSION_HEADING.test(normalizeLine(heading.textContent ?? ''))) return null;
  let box: Element = heading;
  for (
    let a = heading.parentElement;
    a && a !== root && (text.get(a) ?? 0) <= EMPTY_SECTION_MAX_CHARS && controlsOnly(a, heading);
    a = a.parentElement
  )
    box = a;
  return box === heading ? null : box;
}

/** A link preview is at most this long. */
const PREVIEW_MAX_CHARS = 1000;

/** `href` without its scheme, "www." and trailing slash, for comparing two addresses of one page. */
const bareUrl = (href: string): string =>
  href
    .trim()
    .replace(/^https?:\/\/(?:www\.)?/i, '')
    .replace(/\/+$/, '');

/** The host of `url` without "www.", or null when it is not an absolute http(s) address. */
function hostOf(url: string): string | null {
  if (!/^https?:\/\//i.test(url.trim())) return null;
  try {
    return new URL(url.trim()).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

/**
 * The heading of `el` when `el` is a link preview set in a post (Discourse's onebox, XenForo's
 * unfurl, a chat's rich link): a card that names, in an attribute of its own, the address of
 * another site's page (`pageHost` is this page's host) that the link in its heading opens. Else
 * null. A site's cards of its own pages (a listing's teasers) are not previews.
 */
function previewHeading(el: Element, pageHost: string): Element | null {
  const own = new Set<string>();
  for (const a of el.attributes) {
    if (!a.name.startsWith('data-')) continue;
    const host = hostOf(a.value);
    if (host && host !== pageHost) own.add(bareUrl(a.value));
  }
  if (own.size === 0) return null;
  for (const h of el.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    for (const a of h.getElementsByTagName('a')) if (own.has(bareUrl(a.getAttribute('href') ?? ''))) return h;
  return null;
}

/**
 * Link previews under `root` reduced to their heading: the title of the page the post links to
 * stays, the card's snippet, site name, date and labels (the other page's words) go. Returns
 * the characters removed.
 */
export function reducePreviews(root: Element): number {
  const pageHost = hostOf(root.ownerDocument.documentURI ?? '');
  if (!pageHost) return 0;
  let removed = 0;
  for (const el of allElements(root)) {
    if (el === root || !el.isConnected || el.attributes.length < 2) continue;
    const h = previewHeading(el, pageHost);
    if (!h) continue;
    const before = normalizeLine(el.textContent ?? '').length;
    if (before > PREVIEW_MAX_CHARS) continue;
    removed += before - normalizeLine(h.textContent ?? '').length;
    el.replaceWith(h);
  }
  return removed;
}

/** A line that is only a web address, with at most a one-word label ("View: https://…"). */
const ADDRESS_LINE = /^(?:\p{L}{1,12}:\s*)?(https?:\/\/\S+)$/u;
/** The address of a picture or a video: an image file, or a page of a video site. */
const MEDIA_URL =
  /\.(?:jpe?g|png|gif|webp|avif|mp4|webm)(?:[?#]|$)|^https?:\/\/(?:[\w-]+\.)*(?:youtube\.com|youtu\.be|vimeo\.com|twitch\.tv|streamable\.com|imgur\.com|gfycat\.com|tiktok\.com)\//i;
/** Inline elements a line of a post is wrapped in. */
const INLINE_TAGS = new Set(['a', 'span', 'i', 'em', 'b', 'strong', 'small', 'u', 'font', 'sup', 'sub']);
/** Whether `n` ends a line of inline content: a `<br>` or an element that is not inline. */
const breaksLine = (n: Node): boolean => n.nodeType === 1 && !INLINE_TAGS.has((n as Element).localName);

/**
 * Lines of a post's `body` that are only the address of a picture or a video (`MEDIA_URL`): the
 * fallback text of an embedded video or image ("View: https://youtu.be/…", a picture's address
 * pasted as text), which a reader sees as the player or the picture, not as words. The address of
 * a page (an article, a document the post points to) stays. A line is the inline content between
 * two `<br>`s or block edges. Returns the characters removed.
 */
export function dropAddressLines(body: Element): number {
  const texts: Text[] = [];
  const walker = body.ownerDocument.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.includes('http')) texts.push(n as Text);
  let removed = 0;
  for (const t of texts) {
    if (!t.isConnected || !body.contains(t)) continue;
    // Up through inline wrappers that hold nothing but this line.
    let x: Node = t;
    for (let p = x.parentElement; p && p !== body && INLINE_TAGS.has(p.localName) && !p.querySelector('br'); p = p.parentElement) x = p;
    const line: Node[] = [x];
    for (let n = x.previousSibling; n && !breaksLine(n); n = n.previousSibling) line.unshift(n);
    for (let n = x.nextSibling; n && !breaksLine(n); n = n.nextSibling) line.push(n);
    const text = normalizeLine(line.map((n) => n.textContent ?? '').join(''));
    const url = ADDRESS_LINE.exec(text)?.[1];
    if (!url || !MEDIA_URL.test(url)) continue;
    removed += text.length;
    for (const n of line) n.parentNode?.removeChild(n);
  }
  return removed;
}
