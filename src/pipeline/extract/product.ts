/**
 * Product pages (issue 14): one item for sale, marked so by its structured data. Around its title,
 * description and specifications a shop sets its own boilerplate, the same on every item: the
 * store's shipping, returns and warranty terms. That text is the shop's, not the product's.
 * Its own file, like panels.ts, so that clean.ts imports nothing that builds on it.
 */

/** schema.org's Product type in JSON-LD (`"@type": "Product"`, or in a list of types). */
const LD_PRODUCT = /"@type"\s*:\s*(?:\[[^\]]*)?"(?:https?:\/\/schema\.org\/)?Product"/;
/** schema.org's Product type in microdata. */
const MICRO_PRODUCT = /^https?:\/\/schema\.org\/Product$/i;
/** Open Graph's product types (`product`, `og:product`, `product.item`). */
const OG_PRODUCT = /^(?:og:)?product(?:\.item)?$/i;

/**
 * Whether the page whose every element is `all` (read before its scripts go) is a product page: its
 * structured data says so, by a JSON-LD Product, a microdata Product item or Open Graph type
 * "product". One pass over the elements clean() already holds.
 */
export function isProductPage(all: readonly Element[]): boolean {
  for (const el of all) {
    const tag = el.localName;
    if (tag === 'script') {
      if ((el.getAttribute('type') ?? '').toLowerCase() === 'application/ld+json' && LD_PRODUCT.test(el.textContent ?? '')) return true;
    } else if (tag === 'meta') {
      const prop = el.getAttribute('property') ?? el.getAttribute('name');
      if (prop === 'og:type' && OG_PRODUCT.test((el.getAttribute('content') ?? '').trim())) return true;
    } else {
      const type = el.getAttribute('itemtype');
      if (type && MICRO_PRODUCT.test(type.trim())) return true;
    }
  }
  return false;
}

/** The store's terms, in English and Norwegian: shipping, delivery, returns, refunds, exchanges, warranty. */
const TERM =
  '(?:shipping|delivery|returns?|refunds?|exchanges?|warranty|warranties|guarantee|frakt|levering|retur|returrett|angrerett|bytte|bytterett|garanti|reklamasjon)';
/**
 * A heading that names only the store's terms: "Shipping and return policies", "Warranty &
 * Returns", "Warranty Info", "Frakt og levering", "Bytte og retur".
 */
const POLICY_HEADING = new RegExp(
  `^${TERM}(?:\\s*(?:,|&|\\+|/|and|og)?\\s*${TERM})*(?:\\s*(?:&|and|og)?\\s*(?:policy|policies|info|information|options|details|terms|support|vilkår|informasjon|betingelser))?\\s*:?$`,
  'i',
);

/** A policy box holds at most this many characters: past it, it holds the page's content too. */
const MAX_POLICY_CHARS = 1500;

const HEADING_LEVEL: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

const textOf = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Whether `box` holds a heading other than `h` at `h`'s level or above (another section), a table's caption aside. */
function holdsOtherSection(box: Element, h: Element, level: number): boolean {
  for (const tag of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']) {
    if (HEADING_LEVEL[tag]! > level) break;
    for (const o of box.getElementsByTagName(tag)) if (o !== h && !POLICY_HEADING.test(textOf(o))) return true;
  }
  return false;
}

/**
 * The box of the policy heading `h`: its outermost ancestor below `root` that holds no other
 * section (no other heading at its level or above) and at most `MAX_POLICY_CHARS` characters.
 * When its own parent already holds other sections, the heading and its following siblings up to
 * the next heading at its level or above.
 */
function policyBox(h: Element, root: Element): Element[] {
  const level = HEADING_LEVEL[h.localName]!;
  let box: Element = h;
  for (let a = h.parentElement; a && a !== root && a.localName !== 'body' && a.localName !== 'main'; a = a.parentElement) {
    if (a.getElementsByTagName('h1').length > 0 || holdsOtherSection(a, h, level) || textOf(a).length > MAX_POLICY_CHARS) break;
    box = a;
  }
  if (box !== h) return [box];
  const out: Element[] = [h];
  let chars = 0;
  for (let s = h.nextElementSibling; s; s = s.nextElementSibling) {
    const lv = HEADING_LEVEL[s.localName];
    if ((lv !== undefined && lv <= level) || holdsOtherSection(s, h, level)) break;
    chars += textOf(s).length;
    if (chars > MAX_POLICY_CHARS) return [];
    out.push(s);
  }
  return out;
}

/**
 * Remove the store's shipping, returns and warranty sections from a product page's `root`: a
 * section headed (h2-h6) by those terms alone, with its box. Returns how many elements went.
 */
export function dropStorePolicies(root: Element): number {
  const heads: Element[] = [];
  for (const tag of ['h2', 'h3', 'h4', 'h5', 'h6'])
    for (const h of root.getElementsByTagName(tag)) if (POLICY_HEADING.test(textOf(h))) heads.push(h);
  let n = 0;
  for (const h of heads) {
    if (!h.isConnected) continue;
    for (const el of policyBox(h, root)) {
      el.remove();
      n++;
    }
  }
  return n;
}
