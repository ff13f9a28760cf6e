import path from 'node:path';
import { classifyStored } from '../pipeline/diff/index.js';
import { CannotRunError } from '../errors.js';
import type { BlobStore } from './blobs.js';
import { migrateClaims } from './migrate-claims.js';
import { STORE_SCHEMA_VERSION, type ShardData } from './records.js';

/**
 * Forward migrations of a source's shard, one per schema version. Each takes the shard as stored
 * at the version before and brings it to its own version, in place; each must be idempotent
 * (a migrated shard is written at the next flush, and a read-only command may load it again
 * before that). Stores are never migrated backwards: a newer store stops an older eti.
 */
const SHARD_MIGRATIONS: Record<number, (shard: ShardData, blobs: BlobStore) => Promise<void>> = {
  // 2: review items carry a change class. Pending items get theirs from their stored texts
  // (without the source's own ignore rules, which the store does not know); decided items keep none.
  2: async (shard, blobs) => {
    for (const item of Object.values(shard.reviews)) {
      if (item.changeClass || item.status !== 'pending') continue;
      const c = await classifyStored(blobs, shard.pages[item.url]?.versions ?? [], item, { patterns: [] });
      item.changeClass = c.changeClass;
      item.classReasons = c.reasons;
    }
  },
  // 3: summaries carry claims; old ones are re-verified once (see migrate-claims.ts).
  3: migrateClaims,
};

/**
 * Bring a shard read from `file` up to the current schema version. Returns true when it changed
 * (the caller marks it dirty). A shard newer than this eti is a CannotRunError naming the file.
 */
export async function migrateShard(shard: ShardData, file: string, blobs: BlobStore): Promise<boolean> {
  const from = shard.schemaVersion ?? 1;
  if (from > STORE_SCHEMA_VERSION) throw tooNew(file, from);
  if (from === STORE_SCHEMA_VERSION) return false;
  for (let v = from + 1; v <= STORE_SCHEMA_VERSION; v++) await SHARD_MIGRATIONS[v]?.(shard, blobs);
  shard.schemaVersion = STORE_SCHEMA_VERSION;
  return true;
}

export function tooNew(file: string, version: number): CannotRunError {
  return new CannotRunError(
    'store-too-new',
    `${path.resolve(file)}: store schema version ${version} is newer than this eti understands (${STORE_SCHEMA_VERSION})`,
    'Upgrade eti.',
  );
}
