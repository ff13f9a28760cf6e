/** The summarize stage's public face: what other parts of eti may import from it. */
export * from './batch.js';
export * from './plan.js';
export * from './queue.js';
export * from './summarize.js';
export * from './budget.js';
