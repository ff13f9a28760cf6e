import type { ResolvedSource } from '../../config/schema.js';
import type { PageRecord } from '../../store/records.js';
import { diffPair } from '../diff/index.js';
import type { ItemPlan } from './plan.js';
import type { PromptSet } from '../../llm/prompts.js';
import type { LlmProvider } from '../../llm/provider.js';
import type { Store } from '../../store/store.js';
import { prepareSummary, type PreparedSummary } from './summarize.js';

type SummarizePlan = Extract<ItemPlan, { action: 'summarize' | 'removal' }>;

/** The request for the page: its text and markdown, and the change against its base if it has one. */
export async function preparePage(
  source: ResolvedSource,
  page: PageRecord,
  plan: SummarizePlan,
  deps: { store: Store; llm: LlmProvider; prompts: PromptSet },
): Promise<PreparedSummary> {
  const { current, baseHash, changeBase } = plan;
  const blobs = deps.store.blobs;
  const baseVersion = baseHash ? page.versions.find((v) => v.contentHash === baseHash) : undefined;
  const [text, markdown, baseText, baseMarkdown] = await Promise.all([
    blobs.get(current.contentHash),
    blobs.get(current.markdownHash),
    baseHash ? blobs.get(baseHash) : Promise.resolve(undefined),
    baseVersion ? blobs.get(baseVersion.markdownHash) : Promise.resolve(undefined),
  ]);
  if (text === undefined) throw new Error(`text blob ${current.contentHash} is missing from the store`);
  const change =
    baseText !== undefined && baseHash
      ? diffPair({ url: page.url, sourceId: source.id, oldText: baseText, newText: text, oldHash: baseHash, newHash: current.contentHash })
      : undefined;
  return prepareSummary(
    {
      url: page.url,
      title: current.title,
      text,
      markdown: markdown ?? text,
      contentHash: current.contentHash,
      ...(changeBase ? { baseHash: changeBase } : {}),
      ...(changeBase && (baseMarkdown ?? baseText) !== undefined ? { baseMarkdown: (baseMarkdown ?? baseText)! } : {}),
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
    { llm: deps.llm, prompts: deps.prompts },
  );
}
