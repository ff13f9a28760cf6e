/** The fetch layer: HTTP, robots.txt and sitemaps, URL normalisation, the address guard, the browser. */
export { BrowserFetcher, CHROMIUM_ARGS, type BrowserFetchOptions } from './browser.js';
export { decodeBody } from './charset.js';
export { FetchError, type FetchErrorCode } from './errors.js';
export { fetchHttp, fetchWithRetry, retryAfterMs, type HttpFetchOptions, type RetryOptions } from './http.js';
export { type AddressPolicy, assertPublicAddress, isPrivateAddress, isPublicAddress } from './net-guard.js';
export { parseSitemap, RobotsCache, type RobotsRules } from './robots.js';
export { isInScope, normalizeUrl, type Scope } from './url.js';
export * from './politeness.js';
