import path from 'node:path';
import { CannotRunError } from '../errors.js';
import type { Blobs } from './interface.js';
import { STORE_SCHEMA_VERSION, type LegacyShardData } from './records.js';

/**
 * The migrations before schema 3 re-run pipeline logic (2 classifies pending items, 3 re-verifies
 * old summaries' claims), so the store does not hold them: the pipeline passes them in
 * (`pipeline/upgrade/`, through `Store.open(dir, { upgrade })`, as every command opens the store).
 * An upgrade brings a shard stored at `from` (1 or 2) to schema 3, in place, and is idempotent.
 */
export type LegacyUpgrade = (shard: LegacyShardData, from: number, blobs: Blobs) => Promise<void>;

/**
 * Forward migration of a source's shard file written before schema 4 (pages, summaries and review
 * items in one file, `index/<source>.json`): the steps before 3 through `upgrade`, then the split
 * (the caller writes the three files of schema 4 at the next flush: summaries and items first, the
 * pages file last, so a kill in between leaves the old file, migrated again next time). Stores are
 * never migrated backwards: a newer store stops an older eti (`tooNew`).
 */
export async function splitLegacyShard(
  shard: LegacyShardData,
  file: string,
  blobs: Blobs,
  upgrade: LegacyUpgrade | undefined,
): Promise<LegacyShardData> {
  const from = shard.schemaVersion ?? 1;
  if (from > STORE_SCHEMA_VERSION) throw tooNew(file, from);
  if (from < 3) {
    if (!upgrade) {
      throw new CannotRunError(
        'store-needs-upgrade',
        `${path.resolve(file)}: store schema version ${from} needs the pipeline's upgrade steps, and this store was opened without them`,
        'Open the store with `openStore` (pipeline/upgrade), as the commands do.',
      );
    }
    await upgrade(shard, from, blobs);
  }
  return {
    schemaVersion: STORE_SCHEMA_VERSION,
    sourceId: shard.sourceId,
    pages: shard.pages ?? {},
    summaries: shard.summaries ?? {},
    reviews: shard.reviews ?? {},
  };
}

export function tooNew(file: string, version: number): CannotRunError {
  return new CannotRunError(
    'store-too-new',
    `${path.resolve(file)}: store schema version ${version} is newer than this eti understands (${STORE_SCHEMA_VERSION})`,
    'Upgrade eti.',
  );
}
