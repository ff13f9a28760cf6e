import { createHash } from 'node:crypto';

/**
 * Content identity: the hex sha256 of a text (UTF-8) or bytes. One definition for content hashes, blob
 * names, cache keys and ids, in the bottom layer so that every layer can use it.
 */
export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
