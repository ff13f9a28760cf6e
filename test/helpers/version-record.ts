import type { VersionRecord } from '../../src/store/records.js';

/** A stored version of plain data whose hashes derive from `hash`, first and last seen `at` (crawl and audit tests); `over` sets other fields. */
export const versionRecord = (hash: string, at: string, over: Partial<VersionRecord> = {}): VersionRecord => ({
  contentHash: hash,
  markdownHash: `md-${hash}`,
  rawHash: `raw-${hash}`,
  title: 'A',
  lang: 'nb',
  dates: {},
  dateStamps: [],
  method: 'readability',
  via: 'http',
  firstSeenAt: at,
  lastSeenAt: at,
  ...over,
});
