/** The diff stage's public face: what other parts of eti may import from it. */
export * from './classify.js';
export * from './diff.js';
export * from './memo.js';
export * from './noise.js';
