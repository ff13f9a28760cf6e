/** Programmatic API of eti: the pipeline's stages and types. */
export { main } from './cli.js';
export { extract, type ExtractOptions } from './pipeline/extract/index.js';
export { extractPdf, isPdf } from './pipeline/extract/index.js';
export { diffTexts } from './pipeline/diff/index.js';
export { loadConfig, parseConfig } from './config/load.js';
export { Store } from './store/store.js';
export type * from './pipeline/types.js';
