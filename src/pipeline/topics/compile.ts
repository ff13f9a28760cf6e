/**
 * Compiling a topic page: the approved texts of a topic's members go to the provider (the same
 * `LlmProvider.summarize` as page summaries, with the topic prompts and the member pages as
 * delimited data), and every sentence it writes becomes a claim citing spans of member pages,
 * verified by the claims verifier. The cache key covers the members' approved content hashes, the
 * prompt hash, the provider and the model, so an unchanged member set costs no LLM call.
 */
import { costUsd, priceFor, type PriceTable } from '../../llm/cost.js';
import { render, templateName, type PromptSet } from '../../llm/prompts.js';
import type { Audience, Language, LlmProvider, SummaryRequest, SummaryResponse } from '../../llm/provider.js';
import { sha256 } from '../../hash.js';
import { VERIFIER_VERSION } from '../verify/index.js';
import { asData } from '../summarize/index.js';
import { topicClaims } from './claims.js';
import type { TopicCompilation, TopicMember, TopicMemberRef } from './types.js';

/** Bumped when what a topic compilation asks of providers changes; part of every topic prompt hash. */
export const TOPIC_FORMAT = 'topic-v1';
/** The templates a topic compilation uses (per audience and language the most specific one, as for summaries). */
export const TOPIC_TEMPLATES = ['topic.system', 'topic.user'] as const;

const AUDIENCE: Record<Audience, string> = {
  parents: 'foreldre',
  youth: 'ungdom mellom 13 og 20 år',
  professionals: 'fagfolk i kommuner og helsetjenester',
};
const LANGUAGE: Record<Language, string> = { nb: 'bokmål', nn: 'nynorsk' };

/** sha256 over the format, audience, language and the name and text of each topic template used. */
export function topicPromptHash(set: PromptSet, audience: Audience, language: Language): string {
  const names = TOPIC_TEMPLATES.map((n) => templateName(set, n, audience, language));
  return sha256([TOPIC_FORMAT, audience, language, ...names.map((k) => `${k}\n${set.templates[k] ?? ''}`)].join('\n\u0000\n'));
}

/** The cache key of a compilation: topic, audience, members (URL and approved content hash), prompt hash, provider, model. */
export function topicKey(parts: {
  topicId: string;
  audience: Audience;
  members: readonly Pick<TopicMember, 'url' | 'contentHash'>[];
  promptHash: string;
  provider: string;
  model: string;
}): string {
  const members = parts.members.map((m) => `${m.url} ${m.contentHash}`).join('\n');
  return sha256(`topic\n${parts.topicId}\n${parts.audience}\n${members}\n${parts.promptHash}\n${parts.provider}\n${parts.model}`);
}

export interface TopicInput {
  topicId: string;
  title: string;
  audience: Audience;
  language: Language;
  /** Approved member pages, sorted by URL. */
  members: TopicMember[];
}

export interface PreparedTopic {
  input: TopicInput;
  request: SummaryRequest;
  promptHash: string;
  key: string;
}

/** The member pages as numbered, delimited data blocks (a page cannot close its block: see `asData`). */
function pagesBlock(members: readonly TopicMember[]): string {
  return members
    .map(
      (m, i) =>
        `<<<SIDE ${i + 1}\nTittel: ${asData(m.title)}\nKilde: ${asData(m.sourceName)} (${asData(m.owner)})\nAdresse: ${m.url}\n\n${asData(m.markdown)}\nSIDE>>>`,
    )
    .join('\n\n');
}

/** Render the topic prompts for one topic and audience; the provider sees each member as its own document too. Pure. */
export function prepareTopic(input: TopicInput, deps: { llm: LlmProvider; prompts: PromptSet }): PreparedTopic {
  const vars = {
    audience: AUDIENCE[input.audience],
    language: LANGUAGE[input.language],
    title: asData(input.title),
    pages: pagesBlock(input.members),
    count: String(input.members.length),
  };
  const pick = (name: string): string => templateName(deps.prompts, name, input.audience, input.language);
  const promptHash = topicPromptHash(deps.prompts, input.audience, input.language);
  return {
    input,
    promptHash,
    key: topicKey({ ...input, promptHash, provider: deps.llm.name, model: deps.llm.model }),
    request: {
      url: `topic:${input.topicId}`,
      title: input.title,
      text: input.members.map((m) => m.text).join('\n\n'),
      markdown: input.members.map((m) => m.markdown).join('\n\n'),
      audience: input.audience,
      language: input.language,
      system: render(deps.prompts, pick('topic.system'), vars),
      prompt: render(deps.prompts, pick('topic.user'), vars),
      documents: input.members.map((m) => ({ url: m.url, title: m.title, text: m.text, markdown: m.markdown })),
    },
  };
}

/** A member without its text, as recorded with a compilation. */
export function memberRef(m: TopicMember): TopicMemberRef {
  return { url: m.url, sourceId: m.sourceId, sourceName: m.sourceName, owner: m.owner, contentHash: m.contentHash, title: m.title };
}

/** Turn a provider's response into a pending compilation: claims resolved across the members and verified; cost. Pure. */
export function completeTopic(
  prepared: PreparedTopic,
  res: SummaryResponse,
  deps: { llm: LlmProvider; clock: () => Date; prices?: PriceTable; isBatch?: boolean },
): TopicCompilation {
  const { input } = prepared;
  const price = priceFor(deps.llm.name, deps.llm.model, deps.prices);
  return {
    id: prepared.key,
    topicId: input.topicId,
    title: input.title,
    audience: input.audience,
    language: input.language,
    members: input.members.map(memberRef),
    provider: deps.llm.name,
    model: deps.llm.model,
    promptHash: prepared.promptHash,
    content: res.content,
    claims: topicClaims(res.content, res.evidence ?? [], input.members),
    verifierVersion: VERIFIER_VERSION,
    usage: res.usage,
    ...(price ? { costUsd: costUsd(res.usage, price, { isBatch: deps.isBatch === true }) } : {}),
    createdAt: deps.clock().toISOString(),
    status: 'pending',
  };
}
