/** The publish stage's public face: what other parts of eti may import from it. */
export * from './bundle.js';
export * from './evidence.js';
export * from './guard.js';
export * from './publish.js';
export * from './render.js';
export * from './render-html.js';
export * from './topics.js';
