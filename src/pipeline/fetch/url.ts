/** Query parameters that only track visitors: removed so one page has one URL. */
const TRACKING = /^(utm_[a-z_]*|fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi)$/i;
/** `;jsessionid=…`-style path parameters (nav.no's `;cmsnavno_JSESSIONID=…`). */
const PATH_SESSION = /;[^/;?=]*jsessionid[^/;?]*=[^/;?]*/gi;

/**
 * Normalise a URL so one page has one key: lower-case scheme and host (the URL parser does
 * that), no default port, no fragment, no session path parameters, no tracking parameters,
 * remaining query parameters sorted. The path's trailing slash is kept, added (except to a last
 * segment with a file extension) or stripped (except from `/`) as `trailingSlash` says.
 * Returns null for anything but a parsable http(s) URL.
 */
export function normalizeUrl(input: string, base?: string, trailingSlash: 'keep' | 'add' | 'strip' = 'keep'): string | null {
  let u: URL;
  try {
    u = base === undefined ? new URL(input.trim()) : new URL(input.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  u.pathname = u.pathname.replace(PATH_SESSION, '');
  if (trailingSlash === 'add' && !u.pathname.endsWith('/') && !/\.[a-z0-9]{1,5}$/i.test(u.pathname)) u.pathname += '/';
  if (trailingSlash === 'strip' && u.pathname.length > 1 && u.pathname.endsWith('/')) u.pathname = u.pathname.replace(/\/+$/, '') || '/';
  if (u.search) {
    const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k));
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    u.search = new URLSearchParams(params).toString();
  }
  return u.toString();
}

export interface Scope {
  /** A URL must match one of these (when there are any). */
  include: RegExp[];
  /** A URL matching any of these is out; exclude wins over include. */
  exclude: RegExp[];
  /** Lower-case host names the URL may have. */
  allowedHosts: string[];
}

/** Is a normalised URL inside a source's scope? */
export function isInScope(url: string, scope: Scope): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (!scope.allowedHosts.includes(host)) return false;
  if (scope.exclude.some((r) => r.test(url))) return false;
  return scope.include.length === 0 || scope.include.some((r) => r.test(url));
}
