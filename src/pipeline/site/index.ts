/** The preview site's public face. */
export * from './site.js';
export * from './html.js';
