/** The verify stage's public face: the claims verifier, claims with evidence, grounding and plain language. */
export * from './claims.js';
export * from './grounding.js';
export * from './item-claims.js';
export * from './plain-language.js';
export * from './verifier.js';
export * from './instruction.js';
export * from './text.js';
