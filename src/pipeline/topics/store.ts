/**
 * Compiled topics on disk: `.eti/topics/<id>.json`, one file per topic, written atomically
 * (temp file + rename), so a killed run leaves the old file or the new one, never half of one.
 * Kept apart from the page index (`store/`): topics are derived from approved pages and have
 * their own life cycle.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-file.js';
import { CannotRunError } from '../../errors.js';
import type { TopicFile } from './types.js';

/** The folder of topic files inside a store folder (`.eti/`). */
export function topicsDirOf(storeDir: string): string {
  return path.join(storeDir, 'topics');
}

/** Read a topic's file; a missing file is an empty one. An unreadable file is a CannotRunError (exit 5) naming it. */
export async function readTopicFile(dir: string, topicId: string): Promise<TopicFile> {
  const file = path.join(dir, `${topicId}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 1, topicId, compilations: [] };
    throw new CannotRunError('store-unreadable', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CannotRunError('store-unreadable', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const f = data as Partial<TopicFile>;
  if (f.schemaVersion !== 1 || f.topicId !== topicId || !Array.isArray(f.compilations)) {
    throw new CannotRunError('store-unreadable', `${file}: not a topic file of "${topicId}" (schemaVersion 1)`);
  }
  return f as TopicFile;
}

/** Write a topic's file atomically. */
export async function writeTopicFile(dir: string, file: TopicFile): Promise<void> {
  await writeFileAtomic(path.join(dir, `${file.topicId}.json`), `${JSON.stringify(file, null, 1)}\n`);
}

/** Every topic file in the folder (ids sorted); none when the folder does not exist. */
export async function readAllTopicFiles(dir: string): Promise<TopicFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map((n) => readTopicFile(dir, n.slice(0, -5))));
}
