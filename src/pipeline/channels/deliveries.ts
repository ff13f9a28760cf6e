import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../atomic-file.js';
import path from 'node:path';
import type { DeliveryRecord } from './webhooks.js';

/** Deliveries kept in the store (the newest). */
export const DELIVERIES_KEPT = 1000;

/** The store's delivery log: `<store>/deliveries.json`, beside the index. */
export function deliveriesFile(storeDir: string): string {
  return path.join(storeDir, 'deliveries.json');
}

/** The recorded deliveries, oldest first; none when the file is missing or unreadable. */
export async function readDeliveries(storeDir: string): Promise<DeliveryRecord[]> {
  try {
    const data = JSON.parse(await readFile(deliveriesFile(storeDir), 'utf8')) as { deliveries?: DeliveryRecord[] };
    return Array.isArray(data.deliveries) ? data.deliveries : [];
  } catch {
    return [];
  }
}

/** Append records to the log, keeping the newest `DELIVERIES_KEPT`; written atomically (temp file + rename). */
export async function recordDeliveries(storeDir: string, records: readonly DeliveryRecord[]): Promise<void> {
  if (records.length === 0) return;
  const all = [...(await readDeliveries(storeDir)), ...records].slice(-DELIVERIES_KEPT);
  await writeFileAtomic(deliveriesFile(storeDir), `${JSON.stringify({ deliveries: all }, null, 1)}\n`);
}
