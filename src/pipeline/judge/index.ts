/** The judge stage's public face: what other parts of eti may import from it. */
export * from './cache.js';
export * from './judge.js';
export * from './offline.js';
