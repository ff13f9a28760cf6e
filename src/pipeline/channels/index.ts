/** The channels stage's public face: changes.json, history.json, feeds, index.json, webhooks. */
export * from './changes.js';
export * from './channels.js';
export * from './deliveries.js';
export * from './feeds.js';
export * from './webhooks.js';
