import { sha256 } from './hash.js';

/**
 * Lower-case ASCII letters, digits and single dashes: Norwegian letters spelled out (æ → ae,
 * ø → o, å → a), accents dropped, everything else a dash. Empty when nothing is left.
 */
export function toSlug(text: string, maxChars = 80): string {
  return text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxChars)
    .replace(/-+$/g, '');
}

/** The slug a URL's path gives (`/nav/satser/grunnstonad/` → `nav-satser-grunnstonad`); the host when the path is empty. */
export function pathSlug(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return toSlug(url) || 'side';
  }
  const fromPath = toSlug(decodeURIComponentSafe(u.pathname).replace(/\.(html?|php|aspx?)$/i, ''));
  return fromPath || toSlug(u.hostname.replace(/^www\./, '')) || 'side';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Unique slugs for a set of URLs, from their paths. When several URLs give the same slug, the
 * first by URL order keeps it and each other one gets 8 hex of its URL's sha256 appended, so a
 * page's slug depends only on the URLs that share its path slug, never on unrelated pages.
 * A query string alone never makes a new slug (`/a` and `/a?b=1` collide and are told apart by
 * the hash). Deterministic: the same URLs always give the same map.
 */
export function assignSlugs(urls: readonly string[]): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const url of [...new Set(urls)].sort()) {
    const base = pathSlug(url);
    groups.set(base, [...(groups.get(base) ?? []), url]);
  }
  const out = new Map<string, string>();
  const taken = new Set(groups.keys());
  for (const [base, members] of groups) {
    members.forEach((url, i) => {
      if (i === 0) {
        out.set(url, base);
        return;
      }
      let slug = `${base}-${sha256(url).slice(0, 8)}`;
      // A hashed slug that is another page's plain path slug (astronomically unlikely) takes more hex.
      for (let n = 12; taken.has(slug); n += 4) slug = `${base}-${sha256(url).slice(0, n)}`;
      taken.add(slug);
      out.set(url, slug);
    });
  }
  return out;
}
