/**
 * The store migrations that re-run pipeline logic, passed into the store when it opens (the store
 * sits below the pipeline and cannot import it): schema 2 classifies pending review items from
 * their stored texts, schema 3 re-verifies the claims of summaries stored before claims existed.
 * Every command opens its store through `openStore`, so a store of any age loads.
 */
import type { Blobs } from '../../store/interface.js';
import type { LegacyShardData } from '../../store/records.js';
import { FileStore } from '../../store/store.js';
import { classifyStored } from '../diff/index.js';
import { migrateClaims } from './claims.js';

/** Bring a shard stored at schema `from` (1 or 2) to schema 3, in place; idempotent. */
export async function upgradeLegacyShard(shard: LegacyShardData, from: number, blobs: Blobs): Promise<void> {
  if (from < 2) {
    // 2: review items carry a change class. Pending items get theirs from their stored texts
    // (without the source's own ignore rules, which the store does not know); decided items keep none.
    for (const item of Object.values(shard.reviews)) {
      if (item.changeClass || item.status !== 'pending') continue;
      const c = await classifyStored(blobs, shard.pages[item.url]?.versions ?? [], item, { patterns: [] });
      item.changeClass = c.changeClass;
      item.classReasons = c.reasons;
    }
  }
  // 3: summaries carry claims; old ones are re-verified once (see claims.ts).
  if (from < 3) await migrateClaims(shard, blobs);
}

/** Open (creating if needed) the store in `dir`, with the pipeline's migrations. */
export function openStore(dir: string): Promise<FileStore> {
  return FileStore.open(dir, { upgrade: upgradeLegacyShard });
}
