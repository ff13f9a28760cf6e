/**
 * Bringing every topic up to date, as part of `summarize`/`run`: per topic and audience, select the
 * approved members, and compile when no compilation has the current cache key (a member's approved
 * content changed, the prompts or the model changed). A new compilation is pending review; it is
 * compared with the last approved one (change class, claims whose spans broke), and supersedes
 * older pending ones. Topics whose members are all unapproved are skipped with the reason.
 */
import type { ResolvedSource } from '../../config/schema.js';
import type { TopicConfig } from '../../config/topics.js';
import type { PriceTable } from '../../llm/cost.js';
import type { PromptSet } from '../../llm/prompts.js';
import type { Language, LlmProvider } from '../../llm/provider.js';
import { messageOf } from '../../errors.js';
import { classifyChange } from '../diff/index.js';
import { brokenClaims } from './claims.js';
import { completeTopic, prepareTopic } from './compile.js';
import type { CandidatePage } from './members.js';
import { selectMembers } from './members.js';
import { publishedTopicFields, topicText } from './review.js';
import { readTopicFile, writeTopicFile } from './store.js';
import type { TopicCompilation, TopicMember, TopicSkip } from './types.js';

export interface TopicsDeps {
  /** The topics folder (`topicsDirOf(storeDir)`). */
  dir: string;
  llm: LlmProvider;
  prompts: PromptSet;
  clock: () => Date;
  prices?: PriceTable;
  language?: Language;
  /** At most this many LLM calls (`--max-calls` after the pages); the rest is skipped for the next run. */
  maxCalls?: number;
}

export interface TopicsResult {
  compiled: TopicCompilation[];
  /** Topic pages whose cache key had a compilation already: no LLM call. */
  cached: number;
  llmCalls: number;
  skipped: TopicSkip[];
  failures: { topicId: string; audience: string; message: string }[];
}

/** The last approved compilation of an audience (latest decision, ties by id). */
export function lastApproved(comps: readonly TopicCompilation[], audience: string): TopicCompilation | undefined {
  let best: TopicCompilation | undefined;
  for (const c of comps) {
    if (c.audience !== audience || c.status !== 'approved') continue;
    if (!best || (c.decidedAt ?? '') > (best.decidedAt ?? '') || ((c.decidedAt ?? '') === (best.decidedAt ?? '') && c.id > best.id))
      best = c;
  }
  return best;
}

/** Compare a fresh compilation with the last approved one: change class and broken claims. */
function againstApproved(
  comp: TopicCompilation,
  approved: TopicCompilation | undefined,
  members: readonly TopicMember[],
): TopicCompilation {
  if (!approved) return comp;
  const { changeClass } = classifyChange({
    kind: 'changed',
    oldText: topicText(publishedTopicFields(approved)),
    newText: topicText(comp.content),
  });
  const broken = brokenClaims(approved.editedClaims ?? approved.claims, approved.members, members);
  return { ...comp, baseId: approved.id, changeClass, ...(broken.length > 0 ? { broken } : {}) };
}

/** Compile every topic and audience whose cache key has no compilation yet. Sequential: topics are few. */
export async function updateTopics(
  topics: readonly TopicConfig[],
  pages: { candidates: readonly CandidatePage[]; approved: ReadonlyMap<string, TopicMember> },
  sources: readonly ResolvedSource[],
  deps: TopicsDeps,
): Promise<TopicsResult> {
  const result: TopicsResult = { compiled: [], cached: 0, llmCalls: 0, skipped: [], failures: [] };
  for (const topic of topics) {
    const selection = selectMembers(topic, pages.candidates, pages.approved, sources);
    const file = await readTopicFile(deps.dir, topic.id);
    let isDirty = false;
    for (const audience of topic.audiences) {
      if (!selection.ok) {
        result.skipped.push({ topicId: topic.id, audience, reason: selection.reason });
        continue;
      }
      const input = { topicId: topic.id, title: topic.title, audience, language: deps.language ?? 'nb', members: selection.members };
      const prepared = prepareTopic(input, deps);
      if (file.compilations.some((c) => c.id === prepared.key)) {
        result.cached++;
        continue;
      }
      if (deps.maxCalls !== undefined && result.llmCalls >= deps.maxCalls) {
        result.skipped.push({ topicId: topic.id, audience, reason: 'left for the next run (--max-calls)' });
        continue;
      }
      let comp: TopicCompilation;
      try {
        result.llmCalls++;
        comp = completeTopic(prepared, await deps.llm.summarize(prepared.request), deps);
      } catch (err) {
        result.failures.push({ topicId: topic.id, audience, message: messageOf(err) });
        continue;
      }
      comp = againstApproved(comp, lastApproved(file.compilations, audience), selection.members);
      for (const c of file.compilations) if (c.audience === audience && c.status === 'pending') c.status = 'superseded';
      file.compilations.push(comp);
      result.compiled.push(comp);
      isDirty = true;
    }
    if (isDirty) await writeTopicFile(deps.dir, file);
  }
  return result;
}
