import PQueue from 'p-queue';
import type { ResolvedSource } from '../config/schema.js';
import { messageOf } from '../errors.js';
import type { PromptSet } from '../llm/prompts.js';
import type { LlmProvider } from '../llm/provider.js';
import { LlmError } from '../llm/errors.js';
import type { ReviewLogEntry } from '../store/records.js';
import type { Store } from '../store/store.js';
import { diffTexts } from './diff.js';
import { reviewItemId } from './review.js';
import { summarize, summaryKey } from './summarize.js';
import type { PageFailure, ReviewItem, Summary } from './types.js';

export interface QueueDeps {
  store: Store;
  llm: LlmProvider;
  prompts: PromptSet;
  clock: () => Date;
  /** Summaries requested at once. */
  concurrency: number;
  /** Stop asking the LLM after this many calls (budget); the rest is left for the next run. */
  maxCalls?: number;
  onEvent?: (e: QueueEvent) => void;
}

export interface QueueEvent {
  type: 'summary';
  sourceId: string;
  url: string;
  outcome: 'summarized' | 'cached' | 'failed' | 'queued-removal' | 'deferred';
  itemId?: string;
  isGrounded?: boolean;
  message?: string;
}

export interface QueueResult {
  /** Review items created in this run. */
  created: ReviewItem[];
  /** LLM calls made (cache misses). */
  llmCalls: number;
  cached: number;
  /** Pages left for a later run (budget reached). */
  deferred: number;
  failures: PageFailure[];
}

/**
 * Bring the review queue up to date with the store: every page whose current content has no
 * review item yet gets a summary (from the cache when this content was summarised before with
 * the same prompts, provider and model) and a pending item; a removed page gets a removal item.
 * Older pending items of the same page are superseded. Idempotent: a second run does nothing,
 * and a run killed halfway is finished by the next one. Never calls the LLM for content it has seen.
 */
export async function updateReviewQueue(sources: readonly ResolvedSource[], deps: QueueDeps): Promise<QueueResult> {
  const result: QueueResult = { created: [], llmCalls: 0, cached: 0, deferred: 0, failures: [] };
  const queue = new PQueue({ concurrency: deps.concurrency });
  const log: ReviewLogEntry[] = [];
  let budget = deps.maxCalls ?? Number.POSITIVE_INFINITY;
  let fatal: unknown;

  for (const source of sources) {
    const shard = await deps.store.shard(source.id);
    const byUrl = new Map<string, ReviewItem[]>();
    for (const item of Object.values(shard.reviews)) {
      const list = byUrl.get(item.url) ?? [];
      list.push(item);
      byUrl.set(item.url, list);
    }

    for (const page of Object.values(shard.pages).sort((a, b) => (a.url < b.url ? -1 : 1))) {
      const current = page.versions[page.versions.length - 1];
      if (!current) continue;
      const items = byUrl.get(page.url) ?? [];
      const approved = items
        .filter((i) => i.status === 'approved')
        .sort((a, b) => ((a.decidedAt ?? '') < (b.decidedAt ?? '') ? 1 : -1))[0];
      const kind: ReviewItem['kind'] = page.removedAt ? 'removed' : page.versions.length > 1 || approved ? 'changed' : 'new';
      const id = reviewItemId(page.url, current.contentHash, kind);
      if (items.some((i) => i.id === id)) continue;
      // Back to the content already approved (and published): nothing to review.
      if (kind !== 'removed' && approved?.kind !== 'removed' && approved?.contentHash === current.contentHash) {
        supersede(items, undefined);
        continue;
      }
      // A removed page that was never published and has nothing pending needs no decision.
      if (kind === 'removed' && !approved && !items.some((i) => i.status === 'pending')) continue;

      const baseHash = approved?.contentHash ?? page.versions[page.versions.length - 2]?.contentHash;
      const now = deps.clock().toISOString();
      const item: ReviewItem = {
        id,
        sourceId: source.id,
        url: page.url,
        kind,
        contentHash: current.contentHash,
        ...(baseHash && kind !== 'new' ? { baseHash } : {}),
        status: 'pending',
        createdAt: now,
      };

      if (kind === 'removed') {
        await enqueue(items, item, undefined);
        deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'queued-removal', itemId: id });
        continue;
      }

      const key = summaryKey({ contentHash: current.contentHash, promptHash: deps.prompts.hash, provider: deps.llm.name, model: deps.llm.model });
      const cached = shard.summaries[key];
      if (cached) {
        result.cached++;
        await enqueue(items, item, cached);
        deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'cached', itemId: id, isGrounded: cached.grounding.isGrounded });
        continue;
      }
      if (budget <= 0) {
        result.deferred++;
        deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'deferred' });
        continue;
      }
      budget--;
      void queue.add(async () => {
        if (fatal) return;
        try {
          const [text, markdown, baseText] = await Promise.all([
            deps.store.blobs.get(current.contentHash),
            deps.store.blobs.get(current.markdownHash),
            baseHash ? deps.store.blobs.get(baseHash) : Promise.resolve(undefined),
          ]);
          if (text === undefined) throw new Error(`text blob ${current.contentHash} is missing from the store`);
          const change =
            baseText !== undefined
              ? diffTexts({ url: page.url, sourceId: source.id, oldText: baseText, newText: text })
              : undefined;
          result.llmCalls++;
          const summary = await summarize(
            {
              url: page.url,
              title: current.title,
              text,
              markdown: markdown ?? text,
              contentHash: current.contentHash,
              audience: source.audience,
              language: source.language,
              ...(change && change.kind === 'changed'
                ? {
                    change: {
                      oldText: baseText!,
                      added: change.hunks.filter((h) => h.op === 'add').map((h) => h.text),
                      removed: change.hunks.filter((h) => h.op === 'del').map((h) => h.text),
                      changedSentences: change.changedSentences,
                    },
                  }
                : {}),
            },
            { llm: deps.llm, prompts: deps.prompts, clock: deps.clock },
          );
          await deps.store.putSummary(source.id, summary);
          await enqueue(items, item, summary);
          deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'summarized', itemId: id, isGrounded: summary.grounding.isGrounded });
        } catch (err) {
          if (err instanceof LlmError && err.isFatal) fatal = err;
          const code = err instanceof LlmError ? err.code : 'summarize-failed';
          result.failures.push({ url: page.url, sourceId: source.id, stage: 'summarize', code, message: messageOf(err) });
          deps.onEvent?.({ type: 'summary', sourceId: source.id, url: page.url, outcome: 'failed', message: messageOf(err) });
        }
      });
    }

    async function enqueue(items: ReviewItem[], item: ReviewItem, summary: Summary | undefined): Promise<void> {
      supersede(items, item);
      const withSummary: ReviewItem = summary ? { ...item, summaryId: summary.id } : item;
      items.push(withSummary);
      await deps.store.putReview(withSummary);
      result.created.push(withSummary);
      log.push({
        at: withSummary.createdAt,
        by: 'eti',
        action: 'created',
        itemId: withSummary.id,
        url: withSummary.url,
        contentHash: withSummary.contentHash,
        ...(summary ? { summaryId: summary.id, provider: summary.provider, model: summary.model, promptHash: summary.promptHash } : {}),
      });
    }

    function supersede(items: ReviewItem[], by: ReviewItem | undefined): void {
      for (let i = 0; i < items.length; i++) {
        const old = items[i]!;
        if (old.status !== 'pending') continue;
        const next: ReviewItem = { ...old, status: 'superseded', decidedBy: 'eti', decidedAt: deps.clock().toISOString(), note: by ? `superseded by ${by.id}` : 'content returned to the approved version' };
        items[i] = next;
        void deps.store.putReview(next);
        log.push({ at: next.decidedAt!, by: 'eti', action: 'superseded', itemId: next.id, url: next.url, contentHash: next.contentHash, ...(next.note ? { note: next.note } : {}) });
      }
    }
  }

  await queue.onIdle();
  await deps.store.flush();
  await deps.store.appendLog(log);
  if (fatal) throw fatal;
  result.created.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return result;
}
