/**
 * Per-block chrome removal inside the chosen content root (issue 14). When Readability lost a fact
 * and `<main>` (or the heading's container) is taken instead, it used to win whole, bringing share
 * bars, image credits, "Relatert innhold" and "Top stories" lists with it. Here each block is
 * judged by what it is: kept unless it is recognisably chrome, so the rate table, contact box or
 * law metadata that made `<main>` win stays.
 *
 * One bottom-up pass computes every element's text and link-text length (linear); one top-down
 * pass decides. Pure apart from removing the chosen elements from `root`'s own tree.
 */
import { allElements, classWords } from './clean.js';
import { prunePosts } from './forum.js';
import { dropPostLists } from './post-lists.js';
import { emptyDiscussion, isBoardNotice, isCommentControl, NOTICE_MAX_CHARS, reducePreviews } from './forum-chrome.js';
import { normalizeLine } from './text.js';
import { learnedBlocks, repeatedBlocks } from './learned.js';
import { isByline, isCredit, isStampLine, titleCopies } from './choice.js';
import {
  formBox,
  inCode,
  isCardGrid,
  isClosingChrome,
  isPager,
  isProsePanel,
  isStampField,
  isTaxonomyLine,
  isTocLabel,
  loneDateLine,
  repeatedControls,
} from './docs.js';
import {
  fieldLabels,
  isAdLabel,
  isFilterForm,
  isRatingWidget,
  isSiteFooter,
  isShopStateLine,
  MAX_AD_LABEL_CHARS,
  repeatedCalls,
} from './listing.js';
import { type Authors, authorBlocks, authorBox, isPictureCaption, isRelatedHeading, isTeaserBox, loneByline } from './article.js';

/** class/id words of blocks that are chrome wherever they stand (forum author panes and signatures too). */
const CHROME_CLASS =
  /(?:^|[\s_-])(?:related|relaterte?|share|sharing|deling|social|some|newsletter|nyhetsbrev|advert|advertisement|annonse|sponsor|recommend(?:ed|ations)?|anbefalt|more-stories|top-?stories|most-?read|mest-?lest|popular|trending|tag-?list|tags|keywords|emneknagger|breadcrumbs?|brodsmuler?|pagination|paginering|author-?bio|photo-?credit|image-?credit|credits?|byline-?share|subscribe|paywall|popup|modal|cookie|consent|feedback|tilbakemelding|survey|skip-?link|print|utskrift|filters?|facets?|sort-?by|sorting|add-?to-?cart|mini-?cart|wishlist|handlekurv|c?author-?(?:pane|stats|statistics|information|info|fields|column|avatar|buttons)|user-?(?:info|details|stats|card)|userinfo|post-?(?:signature|profile)|postprofile|signature|g?avatar|votecell)(?:$|[\s_-])/i;

/** class/id words of menus (a site's navigation rendered inside the content area) and promotion boxes: dropped only without a digit (a promoted deadline or price is a fact). */
const MENU_CLASS = /(?:^|[\s_-])(?:nav|navbar|navigation|menu|submenu|dropdown|promo)(?:$|[\s_-])/i;

/**
 * class/id words of small controls: call-to-action buttons and button rows. Only small blocks
 * (`SMALL_CHROME_CHARS`): a long block with such a word is a layout wrapper.
 */
const CONTROL_CLASS = /(?:^|[\s_-])(?:cta|btn|button|buttons|actions?)(?:$|[\s_-])/i;
/** class/id words of author names and bylines (their numbers are dates and times, read from the page's metadata). */
const BYLINE_CLASS = /(?:^|[\s_-])(?:author|username|user-?name|byline)(?:$|[\s_-])/i;
const SMALL_CHROME_CHARS = 200;
/** class/id words of a comment section (the list and its form), not of one comment: a forum's posts are its content. */
const COMMENTS_CLASS =
  /(?:^|[\s_-])(?:comments|commentlist|comment-?(?:list|area|section|form|respond|wrap|wrapper|thread)|respond|disqus|disqus_thread|wpdiscuz|wpdcom|akismet)(?:$|[\s_-])/i;
/** class/id words of side columns and widgets set inside the content area. */
const SIDE_CLASS = /(?:^|[\s_-])(?:sidebar|side-?bar|widget|widgets|rail)(?:$|[\s_-])/i;

/**
 * The whole text of a control rather than of content: post and product actions ("Reply", "Quote",
 * "Add to cart", "Click to expand..."), in English and Norwegian. Only short blocks are tested.
 */
const ACTION_TEXT =
  /^(?:reply|quote|share|report|like|follow|edit|improve this (?:answer|question)|click to (?:expand|shrink)\.*|add to (?:cart|bag|basket|wishlist|wish list|list)|write a review|read more|show more|load more|see more|view all|view more|sign up|log in|subscribe|copy link|back to top|svar|siter|rapporter|vis mer|last inn flere|se alle|legg i handlekurven)$/i;

/** Headings that introduce a list of other pages. */
const RELATED_HEADING =
  /^(?:relatert(?:e)?(?: innhold| artikler| sider| lenker| tema| saker)?|les (?:også|mer)|se også|mer om(?: dette)?(?: temaet)?|flere (?:nyheter|saker|artikler)|andre (?:saker|artikler)|siste nytt|mest lest|aktuelt|nyttige lenker|snarveier|related(?: topics| content| articles| stories| posts| links| pages| products)?|more (?:on this story|from [\p{L} ]+|stories|news|articles|like this)|top stories|most (?:read|popular|viewed)|you (?:may|might) also like|recommended(?: for you| reading)?|read (?:more|next)|further reading|popular(?: posts| articles)?|trending|see also|latest (?:news|posts|articles))\s*:?$/iu;

/** Image credits and captions that are only a credit. */
const CREDIT =
  /^(?:foto|photo|photograph|illustrasjon|illustration|bilde|image|grafikk|credit|kilde: (?:getty|ntb|scanpix|shutterstock))\s*[:©]|^©|\((?:foto|photo)\s*:/i;

const BLOCKS = new Set([
  'div',
  'section',
  'aside',
  'nav',
  'ul',
  'ol',
  'footer',
  'header',
  'p',
  'figure',
  'figcaption',
  'span',
  'small',
  'dl',
  'form',
]);
const HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);
/** Tags of a short line besides blocks and headings: a control, a label, emphasis, a list item. */
const LINE_TAGS = new Set(['button', 'label', 'strong', 'b', 'em', 'li', 'dd']);
/** Blocks learned chrome removes whole (headings only inside one of these). */
const LEARNED_UNITS = new Set([...BLOCKS, 'li', 'dt', 'dd', 'address', 'blockquote', 'details']);

export interface Sizes {
  text: Map<Element, number>;
  link: Map<Element, number>;
  links: Map<Element, number>;
  /** Whether the element holds a table, heading h1 or <main>: content structure chrome never has. */
  solid: Map<Element, boolean>;
}

/** Text length, link-text length and link count of every element under `root`, bottom-up. */
function measure(all: Element[]): Sizes {
  const text = new Map<Element, number>();
  const link = new Map<Element, number>();
  const links = new Map<Element, number>();
  const solid = new Map<Element, boolean>();
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i]!;
    let t = 0;
    let l = 0;
    let n = el.localName === 'a' ? 1 : 0;
    let s = el.localName === 'table' || el.localName === 'h1' || el.localName === 'main';
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) t += (c as Text).data.replace(/\s+/g, ' ').trim().length;
      else if (c.nodeType === 1) {
        const ce = c as Element;
        t += text.get(ce) ?? 0;
        l += link.get(ce) ?? 0;
        n += links.get(ce) ?? 0;
        s ||= solid.get(ce) ?? false;
      }
    }
    if (el.localName === 'a') l = t;
    text.set(el, t);
    link.set(el, l);
    links.set(el, n);
    solid.set(el, s);
  }
  return { text, link, links, solid };
}

/** Whether `el` holds a heading: a header with the page's, a section's or a card's heading is content. */
function hasHeading(el: Element): boolean {
  return ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].some((h) => el.getElementsByTagName(h).length > 0);
}

/** A form one fills in (a comment, a newsletter sign-up, a search): it has a text field. */
function isEntryForm(el: Element): boolean {
  if (el.getElementsByTagName('textarea').length > 0) return true;
  for (const i of el.getElementsByTagName('input')) if (!/^(?:hidden|submit|button)$/i.test(i.getAttribute('type') ?? '')) return true;
  return false;
}

/** What a page keeps at least when its menus go: less, and the "menu" is the page (a sitemap). */
const MIN_KEPT_CHARS = 200;

/**
 * The outermost navigation landmarks under `root` (`<nav>`, `role="navigation"`) that are mostly
 * link text and hold no table or main heading: a site's menu or chapter tree set inside the content.
 */
function menuLandmarks(all: readonly Element[], s: Sizes, root: Element): Element[] {
  const out: Element[] = [];
  for (const el of all) {
    if (el === root || (el.localName !== 'nav' && el.getAttribute('role') !== 'navigation')) continue;
    const t = s.text.get(el) ?? 0;
    if (t === 0 || s.solid.get(el) || (s.link.get(el) ?? 0) < t * 0.5) continue;
    if (!out.some((o) => o.contains(el))) out.push(el);
  }
  return out;
}

/**
 * Whether `el` stands inside running text: a text sibling that is not blank ("Trykk på <b>Svar</b>
 * nederst"). Such a word is part of a sentence, not a control, however much it looks like one.
 */
function inSentence(el: Element): boolean {
  for (const dir of ['previousSibling', 'nextSibling'] as const)
    for (let n = el[dir]; n; n = n[dir]) if (n.nodeType === 3 && (n as Text).data.trim() !== '') return true;
  return false;
}

/** Options of `pruneChrome`. */
export interface PruneOptions {
  /**
   * Fingerprints (see `blockFingerprint`) of blocks learned to be site-wide chrome for this
   * source: a block whose fingerprint is here is dropped. Empty by default.
   */
  chrome?: ReadonlySet<string>;
  /** The article's authors its metadata names (`readAuthors`): blocks that are only a name or bio of theirs go. */
  authors?: Authors;
}

/** Whether `el` is a link-dense block: mostly link text, several links. */
function isLinkDense(el: Element, s: Sizes): boolean {
  const t = s.text.get(el) ?? 0;
  return t > 0 && (s.links.get(el) ?? 0) >= 3 && (s.link.get(el) ?? 0) / t >= 0.7;
}

/** What a block is judged against: the sizes of every element and the root's text. */
interface Judge {
  root: Element;
  s: Sizes;
  total: number;
  /** Whether the root is mostly prose: link-dense blocks go only then (on a hub the link lists are the content). */
  isProse: boolean;
}

/**
 * Under a "Relatert innhold"/"Top stories" heading `el` (`t` characters): the whole box when it is
 * heading + links or heading + teasers (`isTeaserBox`), else the heading and the link-dense blocks after it; empty when neither.
 */
function relatedList(el: Element, t: number, j: Judge): Element[] {
  const { s, total } = j;
  const box = el.parentElement;
  if (
    box &&
    box !== j.root &&
    !s.solid.get(box) &&
    (s.text.get(box) ?? 0) <= total * 0.5 &&
    ((s.link.get(box) ?? 0) >= ((s.text.get(box) ?? 0) - t) * 0.5 || isTeaserBox(box, el))
  )
    return [box];
  const out: Element[] = [];
  let next = el.nextElementSibling;
  if (next && isLinkDense(next, s)) {
    out.push(el);
    for (; next && !HEADINGS.has(next.localName) && isLinkDense(next, s); next = next.nextElementSibling) out.push(next);
  }
  return out;
}

/** The <details> whose summary `el` (`t` characters) names a table of contents, when the rest is links: else the summary alone. */
function tocDetails(el: Element, t: number, j: Judge): Element[] {
  const box = el.parentElement;
  if (!box || box === j.root || box.localName !== 'details' || j.s.solid.get(box)) return [el];
  const rest = (j.s.text.get(box) ?? 0) - t;
  return (j.s.link.get(box) ?? 0) >= rest * 0.7 ? [box] : [el];
}

/** Whether block `el` (one of `BLOCKS`, `t` characters) is chrome by what it is: its tag, class/id words or whole text. */
function isChromeBlock(el: Element, t: number, j: Judge): boolean {
  const { s, total } = j;
  const tag = el.localName;
  const key = `${classWords(el.getAttribute('class'))} ${el.getAttribute('id') ?? ''}`;
  const hasKey = key.trim() !== '';
  // The block's normalised text, read once: a dozen rules below test it.
  let text: string | undefined;
  const line = (): string => (text ??= normalizeLine(el.textContent ?? ''));
  const hasDigit = (): boolean => /\d/.test(el.textContent ?? '');
  // A <nav> inside the content is a menu, a chapter list or pagination (in-page tables of contents went in clean()).
  if (tag === 'nav') return true;
  // A header or footer inside the content (a post's action row, an article's tag and share
  // footer) with no heading of the page and no digit (a contact line's phone number is a fact).
  if ((tag === 'footer' || tag === 'header') && !hasHeading(el) && !hasDigit()) return true;
  if (isSiteFooter(el, t)) return true;
  // A comment section goes from an article; on a discussion page (the replies a large part of the text) it is the content.
  if (hasKey && COMMENTS_CLASS.test(key) && t < total * 0.3) return true;
  if (tag === 'form' && ((isEntryForm(el) && !hasDigit()) || isFilterForm(el, t))) return true;
  if (hasKey && SIDE_CLASS.test(key) && !hasDigit()) return true;
  if (t <= 40 && !inSentence(el) && ACTION_TEXT.test(line())) return true;
  if (t <= NOTICE_MAX_CHARS && isBoardNotice(line())) return true;
  if (hasKey && CHROME_CLASS.test(key) && t < 1500) return true;
  if (hasKey && t < 1500 && isRatingWidget(el, key)) return true;
  // Menus and controls by their class go only without a digit: a "Ring 55 55 33 33" button or a
  // figure in a tab strip is a fact.
  if (hasKey && MENU_CLASS.test(key) && t < 1500 && !hasDigit() && !isProsePanel(t, s.link.get(el) ?? 0)) return true;
  if (hasKey && CONTROL_CLASS.test(key) && t < SMALL_CHROME_CHARS && !hasDigit()) return true;
  if (hasKey && BYLINE_CLASS.test(key) && t < SMALL_CHROME_CHARS) return true;
  if (
    j.isProse &&
    tag !== 'p' &&
    tag !== 'span' &&
    isLinkDense(el, s) &&
    (s.links.get(el) ?? 0) >= 4 &&
    !isCardGrid(el, s.links.get(el) ?? 0, s.text, s.link, j.root)
  )
    return true;
  if (t <= 160 && isCredit(line(), CREDIT)) return true;
  if (isPictureCaption(el, t, j.isProse)) return true;
  if (t <= 80 && isByline(line())) return true;
  if (t <= 40 && isTocLabel(line())) return true;
  if (t <= 60 && isClosingChrome(line())) return true;
  if (t <= MAX_AD_LABEL_CHARS && !inSentence(el) && isAdLabel(line())) return true;
  if (t <= 300 && isTaxonomyLine(line(), s.link.get(el) ?? 0)) return true;
  if (t <= 160 && tag !== 'span' && isPager(line(), s.link.get(el) ?? 0) && !el.closest('pre, code')) return true;
  if (t <= 200 && isStampField(el)) return true;
  return t <= 60 && isStampLine(line());
}

/**
 * Remove chrome blocks from `root` in place: blocks whose class/id say chrome, link-dense lists
 * under a "Relatert innhold"/"Top stories" heading (with the heading), other link-dense lists,
 * image credits, and learned site-wide blocks. Never removes a block holding a table or `<h1>`,
 * nor more than `MAX_PRUNED_SHARE` of the text: a page whose content is mostly links keeps them.
 * Returns how many characters of text were removed.
 */
export function pruneChrome(root: Element, opts: PruneOptions = {}): number {
  const lists = dropPostLists(root);
  const posts = lists.removed + prunePosts(root, lists.posts) + reducePreviews(root);
  const all = allElements(root);
  const s = measure(all);
  const total = s.text.get(root) ?? 0;
  if (total === 0) return posts;
  // Menus first, whatever their share: a documentation site's chapter tree can hold more text than
  // the page it frames, and would otherwise make the page look like a link list (kept whole).
  const menus = menuLandmarks(all, s, root);
  const menuText = menus.reduce((n, el) => n + (s.text.get(el) ?? 0), 0);
  if (menus.length > 0 && total - menuText >= MIN_KEPT_CHARS) {
    for (const el of menus) el.remove();
    return posts + menuText + pruneChrome(root, opts);
  }
  // On a hub or listing page the link lists are the content: link-dense blocks go only from a page
  // that is mostly prose.
  const j: Judge = { root, s, total, isProse: (s.link.get(root) ?? 0) / total < 0.4 };
  const drop = new Set<Element>();
  const under = (el: Element): boolean => {
    for (let a = el.parentElement; a && a !== root; a = a.parentElement) if (drop.has(a)) return true;
    return false;
  };
  for (const el of all) {
    if (el === root || drop.has(el)) continue;
    const tag = el.localName;
    const t = s.text.get(el) ?? 0;
    if (t === 0 || s.solid.get(el) || t > total * 0.5 || inCode(el)) continue;
    let text: string | undefined;
    const line = (): string => (text ??= normalizeLine(el.textContent ?? ''));
    if (HEADINGS.has(tag) && (RELATED_HEADING.test(line()) || isRelatedHeading(line()))) {
      for (const x of relatedList(el, t, j)) drop.add(x);
      continue;
    }
    // A table of contents' title goes with its list (a <details> it is the summary of), or alone when the list went already.
    if ((HEADINGS.has(tag) || tag === 'summary') && t <= 40 && isTocLabel(line())) {
      for (const x of tag === 'summary' ? tocDetails(el, t, j) : [el, ...relatedList(el, t, j)]) drop.add(x);
      continue;
    }
    // An empty comment section goes with its heading (forum-chrome.ts).
    const discussion = HEADINGS.has(tag) && t <= 40 ? emptyDiscussion(el, root, s.text) : null;
    if (discussion) {
      drop.add(discussion);
      continue;
    }
    if (t <= 40 && (BLOCKS.has(tag) || HEADINGS.has(tag) || tag === 'button') && !inSentence(el) && isCommentControl(line())) {
      drop.add(el);
      continue;
    }
    // A listing's sort control ("Sort By", "Sorter etter") or a product's stock status ("In Stock!", "På lager"), wherever it stands (listing.ts).
    if ((BLOCKS.has(tag) || HEADINGS.has(tag) || LINE_TAGS.has(tag)) && !inSentence(el) && isShopStateLine(tag, t, line)) {
      drop.add(el);
      continue;
    }
    if (BLOCKS.has(tag) && isChromeBlock(el, t, j)) drop.add(tag === 'form' ? formBox(el, s.text, root) : el);
    else if ((BLOCKS.has(tag) || HEADINGS.has(tag)) && t <= 40) for (const x of authorBox(el, t, s.text, root)) drop.add(x);
  }
  if (opts.chrome && opts.chrome.size > 0)
    for (const el of learnedBlocks(all, s, opts.chrome, LEARNED_UNITS)) if (el !== root) drop.add(el);
  for (const el of repeatedBlocks(all, s, root, LEARNED_UNITS)) drop.add(el);
  for (const el of repeatedCalls(all)) drop.add(el);
  for (const el of fieldLabels(all, s.text)) drop.add(el);
  for (const el of titleCopies(all, root)) drop.add(el);
  const date = loneDateLine(all, s.text, root);
  if (date) drop.add(date);
  const byline = loneByline(all, s.text, root);
  if (byline) drop.add(byline);
  if (opts.authors) for (const el of authorBlocks(all, s.text, root, opts.authors)) drop.add(el);
  for (const el of repeatedControls(all, s.text, root)) drop.add(el);
  let removed = 0;
  const outer = [...drop].filter((el) => !under(el));
  for (const el of outer) removed += s.text.get(el) ?? 0;
  if (removed > total * MAX_PRUNED_SHARE) return posts;
  for (const el of outer) el.remove();
  return posts + removed;
}

/** At most this share of the root's text is pruned; past it the "chrome" is the page. */
const MAX_PRUNED_SHARE = 0.6;
