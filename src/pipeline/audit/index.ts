/** The audit stage's public face: what other parts of eti may import from it. */
export * from './audit.js';
export * from './history.js';
export * from './html.js';
export * from './links.js';
export * from './report.js';
