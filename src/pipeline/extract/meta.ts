import type { PageDates } from '../types.js';
import { parseNorwegianDate } from './text.js';

/** Links in the whole page: absolute http(s), no fragment, de-duplicated, in page order. */
export function collectLinks(doc: Document, base = doc.baseURI): string[] {
  const out = new Set<string>();
  for (const a of doc.getElementsByTagName('a')) {
    const raw = a.getAttribute('href');
    if (raw === null) continue;
    // Node's URL parser is many times faster than jsdom's HTMLAnchorElement.href.
    let href: string;
    try {
      href = new URL(raw, base).href;
    } catch {
      continue;
    }
    if (!href.startsWith('http:') && !href.startsWith('https:')) continue;
    const hash = href.indexOf('#');
    out.add(hash >= 0 ? href.slice(0, hash) : href);
  }
  return [...out];
}

/** Make every link and image in `root` absolute (the Markdown must work out of context). */
export function absolutize(root: Element, base: string): void {
  for (const [tag, attr] of [
    ['a', 'href'],
    ['img', 'src'],
  ] as const) {
    // A static copy of the list: setting attributes while walking a live collection made jsdom
    // re-walk it per element (5,000 links took 83 s). Linear on any DOM.
    for (const el of Array.from(root.getElementsByTagName(tag))) {
      const value = el.getAttribute(attr);
      if (value === null) continue;
      try {
        el.setAttribute(attr, new URL(value, base).href);
      } catch {
        // leave an unparsable reference as it is
      }
    }
  }
}

// Word lists matched with Unicode letter boundaries (`\b` is ASCII-only and fails next to æøå).
const words = (list: string): RegExp => new RegExp(`(?<!\\p{L})(?:${list})(?!\\p{L})`, 'giu');
const NN = words('ikkje|eg|kva|frå|korleis|desse|berre|kven|òg|dykk|ein|eit|vere|heile|mykje|nokre|sjølv|fekk');
const NB = words('ikke|jeg|hva|fra|hvordan|disse|bare|hvem|også|dere|en|et|være|hele|mye|noen|selv|fikk');
/** Common to bokmål and nynorsk: says "Norwegian" without saying which. */
const NO = words('og|er|på|til|som|med|kan|når|av|har|barn|du|det|for|skal|må|om');
const EN = words('the|and|of|to|is|are|for|with|you|your|this|that');

/** Primary language tag: `<html lang>` (no → nb), else a function-word count for nb/nn/en, else und. */
export function detectLang(doc: Document, text: string): string {
  const attr = (doc.documentElement?.getAttribute('lang') ?? '').trim().toLowerCase().split(/[-_]/)[0];
  if (attr) return attr === 'no' || attr === 'nob' ? 'nb' : attr === 'nno' ? 'nn' : attr;
  return langOfText(text);
}

/** nb, nn or en by counting function words in `text`; und when there are too few. */
export function langOfText(text: string): string {
  const sample = text.slice(0, 20_000);
  const nn = sample.match(NN)?.length ?? 0;
  const nb = sample.match(NB)?.length ?? 0;
  const en = sample.match(EN)?.length ?? 0;
  const no = sample.match(NO)?.length ?? 0;
  const best = Math.max(nn, nb, en);
  if (best < 3) return no >= 4 && no > en ? (nn > nb ? 'nn' : 'nb') : 'und';
  if (best === en && en > no) return 'en';
  // Many words are shared; nynorsk-only words are the signal.
  return nn >= nb * 0.5 ? 'nn' : 'nb';
}

/** The name in a JSON-LD organisation or person (`{ "name": … }`), a plain string, or the first of a list. */
function orgName(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (Array.isArray(v)) return orgName(v[0]);
  if (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string')
    return (v as { name: string }).name.trim() || undefined;
  return undefined;
}

/**
 * The page's JSON-LD blocks, each parsed once: `readMeta` and the article rules (`readAuthors`)
 * both read them. Malformed blocks, common on the web, are skipped.
 */
export function readJsonLd(doc: Document): unknown[] {
  const out: unknown[] = [];
  for (const s of doc.getElementsByTagName('script')) {
    if ((s.getAttribute('type') ?? '').trim().toLowerCase() !== 'application/ld+json') continue;
    try {
      out.push(JSON.parse(s.textContent ?? '') as unknown);
    } catch {
      // malformed JSON-LD is common; ignore it
    }
  }
  return out;
}

/**
 * description, canonical URL, the publishing agency and dates from `<meta>`, JSON-LD and `<time>`.
 * The publisher is what the page says of itself: JSON-LD `publisher`/`author` (an organisation's
 * name), else `<meta name="author">`, `dcterms.publisher` or `og:site_name`.
 */
export function readMeta(
  doc: Document,
  ld: readonly unknown[] = readJsonLd(doc),
): { description?: string; canonicalUrl?: string; publisher?: string; dates: PageDates } {
  // One pass over <meta> (CSS attribute selectors are slow in jsdom): the first content per
  // `name=` / `property=` key, keys lower-cased, as querySelector('meta[name="…" i]') would find.
  const metas = new Map<string, string>();
  for (const m of doc.getElementsByTagName('meta')) {
    const content = m.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['name', 'property']) {
      const key = m.getAttribute(attr);
      if (key && !metas.has(`${attr}=${key.toLowerCase()}`)) metas.set(`${attr}=${key.toLowerCase()}`, content);
    }
  }
  const description = metas.get('name=description') ?? metas.get('property=og:description');
  const canonicalEl = [...doc.getElementsByTagName('link')].find((l) =>
    (l.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical'),
  );
  // Resolved by hand: only jsdom's HTMLLinkElement.href resolves against the base; linkedom's does not.
  let canonical: { href: string } | undefined;
  const rawCanonical = canonicalEl?.getAttribute('href');
  if (rawCanonical) {
    try {
      canonical = { href: new URL(rawCanonical, doc.baseURI).href };
    } catch {
      canonical = undefined; // an unparsable canonical URL names nothing
    }
  }
  const dates: PageDates = {};
  const iso = (s: string | undefined): string | undefined => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : undefined);
  const mod = iso(metas.get('property=article:modified_time')) ?? iso(metas.get('name=dcterms.modified'));
  const pub = iso(metas.get('property=article:published_time')) ?? iso(metas.get('name=dcterms.created'));
  if (mod) dates.modified = mod;
  if (pub) dates.published = pub;
  let ldPublisher: string | undefined;
  for (const data of ld) {
    const nodes = Array.isArray(data) ? data : ((data as { '@graph'?: unknown[] })?.['@graph'] ?? [data]);
    for (const node of nodes) {
      const n = node as { dateModified?: string; datePublished?: string; publisher?: unknown; author?: unknown };
      dates.modified ??= iso(n.dateModified);
      dates.published ??= iso(n.datePublished);
      ldPublisher ??= orgName(n.publisher) ?? orgName(n.author);
    }
  }
  // Metadata lists (Lovdata's "Sist endret: LOV-2022-06-17-68 fra 01.08.2022"): a <dt> label with
  // a date in its <dd>. The last date in the <dd> is the one that took effect.
  for (const dt of doc.getElementsByTagName('dt')) {
    const label = (dt.textContent ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    const kind = /^(sist (endret|endra|oppdatert|revidert)|oppdatert|endret)$/.test(label)
      ? 'modified'
      : label === 'publisert'
        ? 'published'
        : undefined;
    if (!kind || dates[kind]) continue;
    const dd = dt.nextElementSibling;
    if (dd?.tagName !== 'DD') continue;
    const found = (dd.textContent ?? '').match(/\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\.\s*\p{L}+\s+\d{4}/gu);
    const date = found ? parseNorwegianDate(found[found.length - 1]!) : undefined;
    if (date) dates[kind] = date;
  }
  if (!dates.modified) {
    const t = iso([...doc.getElementsByTagName('time')].find((e) => e.hasAttribute('datetime'))?.getAttribute('datetime') ?? undefined);
    if (t) dates.modified = t;
  }
  if (dates.modified === undefined) delete dates.modified;
  if (dates.published === undefined) delete dates.published;
  const publisher = ldPublisher ?? metas.get('name=dcterms.publisher') ?? metas.get('name=author') ?? metas.get('property=og:site_name');
  return {
    ...(description ? { description } : {}),
    ...(publisher ? { publisher: publisher.replace(/\s+/g, ' ').trim().slice(0, 200) } : {}),
    ...(canonical?.href ? { canonicalUrl: canonical.href } : {}),
    dates,
  };
}
