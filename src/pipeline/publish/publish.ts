import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceDir, writeFileAtomic } from '../../atomic-file.js';
import type { ResolvedSource } from '../../config/schema.js';
import { CheckFailedError, UsageError } from '../../errors.js';
import { sha256 } from '../../hash.js';
import type { Store } from '../../store/store.js';
import { bundleFiles, bundleSchema, type Bundle, type BundlePage } from './bundle.js';
import { historySchema, type ChangeEntry } from '../channels/index.js';
import { assignSlugs } from '../../slugs.js';
import { checkEvidence, evidenceTexts, pageEvidence, VERIFIER_VERSION } from './evidence.js';
import { publishedItems } from '../review/index.js';
import type { BundleTopic } from './topics.js';
import { itemClaims } from '../verify/index.js';
import { type JudgeCache, judgementsOf } from '../judge/index.js';
import { OFFLINE_JUDGE_MODEL } from '../judge/index.js';

/**
 * Collect the published form of every page whose latest approval is a content version; with
 * `judgeCache`, each claim carries the LLM judge's stored opinion beside its verdict.
 */
export async function collectBundlePages(store: Store, sources: readonly ResolvedSource[], judgeCache?: JudgeCache): Promise<BundlePage[]> {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const pages: BundlePage[] = [];
  for (const item of publishedItems(await store.reviews())) {
    const source = byId.get(item.sourceId);
    if (!source) continue; // a source removed from sources.yaml is no longer published
    const page = await store.page(item.sourceId, item.url);
    const version = page?.versions.find((v) => v.contentHash === item.contentHash);
    const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
    if (!page || !version || !summary) continue;
    const fetchedAt = version.lastSeenAt;
    const texts = await evidenceTexts(store, item, summary);
    const judged = judgeCache ? judgementsOf(judgeCache, summary, itemClaims(item, summary, texts), OFFLINE_JUDGE_MODEL) : {};
    const ev = pageEvidence(item, summary, texts, judged);
    pages.push({
      url: item.url,
      slug: '',
      sourceId: source.id,
      sourceName: source.name,
      owner: source.owner,
      authority: source.authority,
      tags: [...source.tags],
      audience: source.audience,
      title: version.title,
      lang: version.lang,
      summary: ev.fields.summary,
      isEdited: item.editedSummary !== undefined || item.editedFields !== undefined,
      keyFacts: ev.fields.keyFacts,
      appliesTo: ev.fields.appliesTo,
      howToApply: ev.fields.howToApply,
      deadlines: ev.fields.deadlines,
      ...(ev.fields.contacts && ev.fields.contacts.length > 0 ? { contacts: ev.fields.contacts } : {}),
      ...(ev.fields.changeSummary ? { changeSummary: ev.fields.changeSummary } : {}),
      ...(version.publisher ? { publisher: version.publisher } : {}),
      ...(item.kind === 'changed' && item.changeClass ? { changeClass: item.changeClass } : {}),
      contentHash: item.contentHash,
      fetchedAt,
      changedAt: version.firstSeenAt,
      ...(version.dates.modified ? { pageModified: version.dates.modified } : {}),
      approvedAt: item.decidedAt!,
      approvedBy: item.decidedBy!,
      provider: summary.provider,
      model: summary.model,
      promptHash: summary.promptHash,
      isGrounded: ev.isGrounded,
      claims: ev.claims,
      verifierVersion: VERIFIER_VERSION,
      licence: source.licence,
      credit: source.credit,
      ...(item.changeNote ? { changeNote: item.changeNote } : {}),
      ...(item.isMajor === undefined ? {} : { isMajor: item.isMajor }),
    });
  }
  // Slugs come from the page paths; collisions are resolved over the whole set (see assignSlugs).
  const slugs = assignSlugs(pages.map((p) => p.url));
  return pages.map((p) => ({ ...p, slug: slugs.get(p.url)! }));
}

export interface PublishResult {
  bundle: Bundle;
  dir: string;
  /** False when an identical bundle was already there. */
  isNew: boolean;
  pruned: string[];
}

/**
 * Write a bundle into `outDir/<id>/` atomically (built in a temp folder, then renamed), point
 * `outDir/LATEST` at it, and keep only the newest `keep` bundles. The same pages give the
 * same id and byte-identical files, so publishing twice is a no-op.
 */
export async function writeBundle(
  pages: BundlePage[],
  outDir: string,
  keep: number,
  topics: readonly BundleTopic[] = [],
): Promise<PublishResult> {
  await mkdir(outDir, { recursive: true });
  const { bundle, files } = bundleFiles(pages, await latestBundle(outDir), await latestHistory(outDir), topics);
  const dir = path.join(outDir, bundle.id);
  let isNew = true;
  try {
    await stat(path.join(dir, 'manifest.json'));
    await checkBundle(dir, { isEvidenceChecked: false });
    isNew = false;
  } catch (err) {
    if (err instanceof CheckFailedError) await rm(dir, { recursive: true, force: true });
  }
  if (isNew) {
    const tmp = path.join(outDir, `.tmp-${bundle.id}-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    for (const [rel, content] of files) {
      const file = path.join(tmp, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    await replaceDir(tmp, dir);
  }
  await writeFileAtomic(path.join(outDir, 'LATEST'), `${bundle.id}\n`);
  const pruned = await prune(outDir, keep, bundle.id);
  return { bundle, dir, isNew, pruned };
}

/** The bundle `outDir/LATEST` points at, when it is there and readable (the base of CHANGELOG.md). */
export async function latestBundle(outDir: string): Promise<Bundle | undefined> {
  try {
    const id = (await readFile(path.join(outDir, 'LATEST'), 'utf8')).trim();
    if (!/^[0-9a-z-]+$/.test(id)) return undefined;
    const parsed = bundleSchema.safeParse(JSON.parse(await readFile(path.join(outDir, id, 'bundle.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The change history of the bundle `outDir/LATEST` points at; empty when there is none or it is unreadable. */
export async function latestHistory(outDir: string): Promise<ChangeEntry[]> {
  try {
    const id = (await readFile(path.join(outDir, 'LATEST'), 'utf8')).trim();
    if (!/^[0-9a-z-]+$/.test(id)) return [];
    const parsed = historySchema.safeParse(JSON.parse(await readFile(path.join(outDir, id, 'history.json'), 'utf8')));
    return parsed.success ? parsed.data.entries : [];
  } catch {
    return [];
  }
}

/** Delete all but the newest `keep` bundles (by createdAt, then id); never `current`. */
async function prune(outDir: string, keep: number, current: string): Promise<string[]> {
  const bundles: { id: string; createdAt: string }[] = [];
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    try {
      const b = JSON.parse(await readFile(path.join(outDir, entry.name, 'bundle.json'), 'utf8')) as Bundle;
      bundles.push({ id: entry.name, createdAt: b.createdAt });
    } catch {
      // not a bundle folder: leave it alone
    }
  }
  bundles.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  const doomed = bundles.slice(keep).filter((b) => b.id !== current);
  for (const b of doomed) await rm(path.join(outDir, b.id), { recursive: true, force: true });
  return doomed.map((b) => b.id);
}

/**
 * Verify a bundle folder against its manifest and the bundle schema, and (unless
 * `isEvidenceChecked` is false) that every unsupported claim has a recorded override. Throws
 * `CheckFailedError` naming the first file or claim that fails; `UsageError` when `dir` is not a bundle.
 */
export async function checkBundle(dir: string, opts: { isEvidenceChecked?: boolean } = {}): Promise<{ id: string; files: number }> {
  let manifest: { id: string; files: Record<string, string> };
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    throw new UsageError(`${dir}: not a bundle (no readable manifest.json)`);
  }
  const listed = new Set(Object.keys(manifest.files));
  for (const [rel, hash] of Object.entries(manifest.files)) {
    if (rel.includes('..') || path.isAbsolute(rel))
      throw new CheckFailedError('bundle-tampered', `${dir}/manifest.json: unsafe path "${rel}"`);
    let content: Buffer;
    try {
      content = await readFile(path.join(dir, rel));
    } catch {
      throw new CheckFailedError('bundle-tampered', `${path.join(dir, rel)}: listed in manifest.json but missing`);
    }
    if (sha256(content) !== hash) {
      throw new CheckFailedError('bundle-tampered', `${path.join(dir, rel)}: sha256 differs from manifest.json`);
    }
  }
  for (const rel of await listFiles(dir)) {
    if (rel !== 'manifest.json' && !listed.has(rel)) {
      throw new CheckFailedError('bundle-tampered', `${path.join(dir, rel)}: not listed in manifest.json`);
    }
  }
  const parsed = bundleSchema.safeParse(JSON.parse(await readFile(path.join(dir, 'bundle.json'), 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckFailedError('bundle-invalid', `${path.join(dir, 'bundle.json')}: ${issue.path.join('.')}: ${issue.message}`);
  }
  // Nothing unverified reaches a family: an unsupported claim needs an editor's recorded override.
  if (opts.isEvidenceChecked !== false) checkEvidence(path.join(dir, 'bundle.json'), parsed.data.pages);
  return { id: manifest.id, files: listed.size };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}
