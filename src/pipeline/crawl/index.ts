/** The crawl stage's public face: what other parts of eti may import from it. */
export * from './crawl.js';
