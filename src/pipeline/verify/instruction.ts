/**
 * Injected instructions, for the verifier: the detector lives in the bottom layer (`src/instruction.ts`)
 * so that the offline provider (llm/, below pipeline/) uses the same one.
 */
export { findInstruction } from '../../instruction.js';
