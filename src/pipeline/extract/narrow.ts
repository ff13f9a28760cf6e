/**
 * Narrow-screen copies (issue 14): many sites render a block twice, once for wide screens and once
 * for phones, and hide one of them by a class (`d-lg-none`, `md:hidden`, `hidden-lg`,
 * `elementor-hidden-desktop`, `mobile-only`). When the copies differ a little (the phone's leaves
 * out the rating, breaks a line elsewhere), twins.ts does not see them as one, and the page's text
 * says it all twice over: a summary reads it twice and a changed copy is a change to review.
 *
 * A block hidden on wide screens goes when what it says is said elsewhere on the page: most of its
 * 4-word runs, and every number in it, stand outside it. A fact only the phone's copy holds (a
 * telephone number shown on phones) keeps the block.
 */
import { digitGroups, shingles, wordTokens } from './text.js';

/** Class words that hide an element on a wide screen (Bootstrap 3–5, Tailwind, Foundation, WPBakery, Elementor, plain names). */
const WIDE_HIDDEN =
  /(?:^|\s)(?:d-(?:md|lg|xl)-none|hidden-(?:md|lg)|visible-(?:xs|sm)(?:-block|-inline|-inline-block)?|(?:md|lg|xl):hidden|hide-for-(?:medium|large)(?:-up)?|show-for-small-only|vc_hidden-(?:md|lg)|elementor-hidden-desktop|hidden-desktop|hide-desktop|hide-on-desktop|desktop-hide|mobile-only|only-mobile|visible-mobile|show-mobile)(?=\s|$)/i;

/** Class words that show it again on a wide screen ("d-md-none d-xl-block"): then it is not hidden there. */
const WIDE_SHOWN =
  /(?:^|\s)(?:d-(?:lg|xl)-(?:block|flex|inline|inline-block|grid|table)|(?:lg|xl):(?:block|flex|inline|inline-block|grid))(?=\s|$)/i;

/** At least this share of the copy's 4-word runs stand elsewhere on the page. */
const MIN_SAID_ELSEWHERE = 0.6;

/** Whether `el`'s classes hide it on a wide screen. */
export function hiddenWide(el: Element): boolean {
  const cls = el.getAttribute('class');
  return !!cls && WIDE_HIDDEN.test(cls) && !WIDE_SHOWN.test(cls);
}

/**
 * Remove from `root` each element hidden on wide screens whose text the rest of `root` says too
 * (`MIN_SAID_ELSEWHERE` of its 4-word runs, every digit group). `all`: `root` and every element
 * under it, in document order. Returns how many went.
 */
export function dropNarrowCopies(root: Element, all: readonly Element[]): number {
  const candidates = all.filter((el) => el !== root && hiddenWide(el));
  if (candidates.length === 0) return 0;
  // The page's text as it stands after each removal: two phone copies are not each other's "elsewhere".
  let text = root.textContent ?? '';
  const whole = shingles(wordTokens(text));
  let n = 0;
  for (const el of candidates) {
    // A copy inside a copy that went has gone with it.
    if (!el.isConnected) continue;
    const own = el.textContent ?? '';
    const mine = shingles(wordTokens(own));
    let total = 0;
    let elsewhere = 0;
    for (const [k, c] of mine) {
      total += c;
      elsewhere += Math.max(0, Math.min(c, (whole.get(k) ?? 0) - c));
    }
    if (total === 0 || elsewhere / total < MIN_SAID_ELSEWHERE) continue;
    // Every number it holds is on the page outside it too.
    const rest = text.replace(own, ' ');
    if (!digitGroups(own).every((g) => rest.includes(g))) continue;
    // What it said is no longer said twice: take it out of the page's text and count.
    for (const [k, c] of mine) whole.set(k, (whole.get(k) ?? 0) - c);
    text = rest;
    el.remove();
    n++;
  }
  return n;
}
