/** The extract stage's public face: what other parts of eti may import from it. */
export * from './document.js';
export * from './extract.js';
export * from './pdf.js';
export * from './pool.js';
export * from './learned.js';
