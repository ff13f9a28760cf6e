/**
 * The judge's memory, `.eti/judgements.json`: every judgement by its key (claim text, span texts,
 * field, language, provider, model and the judge's prompt hash), so the same claim with the same
 * spans is never sent to the same model twice; and the Message Batches sent but not yet collected,
 * so a killed or impatient run resumes them instead of paying again. Written atomically (temp file
 * and rename); a file that is not ours is an error naming it, never overwritten.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-file.js';
import { AppError, ExitCode } from '../../errors.js';
import { sha256 } from '../../hash.js';
import { JUDGE_PROMPT_HASH, type JudgeRequest, type JudgeVerdict } from '../../llm/judge.js';
import { normalizeText } from '../verify/index.js';
import type { TokenUsage } from '../types.js';

/** One stored judgement. */
export interface Judgement {
  verdict: JudgeVerdict;
  /** Norwegian, one sentence; the offline judge's start with «Offline, ingen KI:». */
  reason: string;
  provider: string;
  model: string;
  /** When it was judged (ISO, from the injected clock). */
  at: string;
  usage?: TokenUsage;
}

export interface PendingJudgeBatch {
  id: string;
  provider: string;
  model: string;
  submittedAt: string;
  /** Judgement keys asked for in it. */
  keys: string[];
}

interface CacheFile {
  schemaVersion: 1;
  judgements: Record<string, Judgement>;
  batches: PendingJudgeBatch[];
}

/** The cache key of a judgement: 64 hex characters (also a valid batch `custom_id`). */
export function judgementKey(req: JudgeRequest, provider: string, model: string): string {
  return sha256(
    JSON.stringify([provider, model, JUDGE_PROMPT_HASH, req.field, req.language, normalizeText(req.claim), req.spans.map(normalizeText)]),
  );
}

/** The judgements file of a workspace. */
export class JudgeCache {
  readonly file: string;
  #data: CacheFile = { schemaVersion: 1, judgements: {}, batches: [] };

  private constructor(file: string) {
    this.file = file;
  }

  /** Open `<workspace>/.eti/judgements.json` (absent: empty). Throws `AppError` (exit 5, unreadable store) for a file that is not a judgements file. */
  static async open(workspace: string): Promise<JudgeCache> {
    const c = new JudgeCache(path.join(workspace, '.eti', 'judgements.json'));
    let raw: string;
    try {
      raw = await readFile(c.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return c;
      throw err;
    }
    let parsed: Partial<CacheFile>;
    try {
      parsed = JSON.parse(raw) as Partial<CacheFile>;
    } catch (err) {
      throw new AppError('judge-cache-invalid', `${c.file}: not JSON (${(err as Error).message})`, { exitCode: ExitCode.cannotRun });
    }
    if (parsed.schemaVersion !== 1 || typeof parsed.judgements !== 'object' || !Array.isArray(parsed.batches))
      throw new AppError('judge-cache-invalid', `${c.file}: expected schemaVersion 1 with judgements and batches`, {
        exitCode: ExitCode.cannotRun,
      });
    c.#data = parsed as CacheFile;
    return c;
  }

  get(key: string): Judgement | undefined {
    return this.#data.judgements[key];
  }

  put(key: string, j: Judgement): void {
    this.#data.judgements[key] = j;
  }

  get batches(): readonly PendingJudgeBatch[] {
    return this.#data.batches;
  }

  putBatch(b: PendingJudgeBatch): void {
    this.#data.batches.push(b);
  }

  dropBatch(id: string): void {
    this.#data.batches = this.#data.batches.filter((b) => b.id !== id);
  }

  /** Write atomically, keys sorted (the same judgements give the same file). */
  async save(): Promise<void> {
    const judgements = Object.fromEntries(Object.entries(this.#data.judgements).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    await writeFileAtomic(this.file, `${JSON.stringify({ ...this.#data, judgements }, null, 1)}\n`);
  }
}

/**
 * The stored judgements of a summary's claims, by `field.index`: judged by the summary's own
 * model (anthropic), else by the offline judge of `offlineModel`. A claim whose text or spans
 * changed since (an edit) has none: the judge saw other text.
 */
export function judgementsOf(
  cache: JudgeCache,
  summary: { provider: string; model: string; language?: 'nb' | 'nn' },
  claims: readonly { field: string; index: number; text: string; spans: readonly { quote: string }[] }[],
  offlineModel: string,
): Record<string, Judgement> {
  const [provider, model] = summary.provider === 'anthropic' ? ['anthropic', summary.model] : ['offline', offlineModel];
  const out: Record<string, Judgement> = {};
  for (const c of claims) {
    const req: JudgeRequest = { field: c.field, claim: c.text, spans: c.spans.map((s) => s.quote), language: summary.language ?? 'nb' };
    const j = cache.get(judgementKey(req, provider, model));
    if (j) out[`${c.field}.${c.index}`] = j;
  }
  return out;
}
