import type { PromptSet } from '../llm/prompts.js';
import { render } from '../llm/prompts.js';
import type { Audience, Language, LlmProvider } from '../llm/provider.js';
import { sha256 } from '../store/blobs.js';
import { verifyGrounding } from './grounding.js';
import type { Summary } from './types.js';

export interface SummarizeInput {
  url: string;
  title: string;
  text: string;
  markdown: string;
  contentHash: string;
  audience: Audience;
  language: Language;
  /** For a changed page: the text compared against and what changed. */
  change?: { oldText: string; added: string[]; removed: string[]; changedSentences: string[] };
}

/**
 * The cache key of a summary: content hash + prompt hash + provider + model. The change context
 * is deliberately not part of it: the same content gets the same summary whatever it replaced,
 * so an unchanged page is never sent again (a change summary, when present, rides along).
 */
export function summaryKey(parts: { contentHash: string; promptHash: string; provider: string; model: string }): string {
  return sha256(`${parts.contentHash}\n${parts.promptHash}\n${parts.provider}\n${parts.model}`);
}

const AUDIENCE: Record<Audience, string> = { parents: 'foreldre', youth: 'ungdom mellom 13 og 20 år', professionals: 'fagfolk i kommuner og helsetjenester' };
const LANGUAGE: Record<Language, string> = { nb: 'bokmål', nn: 'nynorsk' };

/** Summarise one content version: render the prompts, call the provider, check the grounding. */
export async function summarize(input: SummarizeInput, deps: { llm: LlmProvider; prompts: PromptSet; clock: () => Date }): Promise<Summary> {
  const vars = {
    audience: AUDIENCE[input.audience],
    language: LANGUAGE[input.language],
    title: input.title,
    url: input.url,
    page: input.markdown,
    added: input.change?.added.join('\n') ?? '',
    removed: input.change?.removed.join('\n') ?? '',
  };
  const system = render(deps.prompts, 'summary.system', vars);
  const prompt = render(deps.prompts, input.change ? 'change.user' : 'summary.user', vars);
  const res = await deps.llm.summarize({
    url: input.url,
    title: input.title,
    text: input.text,
    markdown: input.markdown,
    audience: input.audience,
    language: input.language,
    system,
    prompt,
    ...(input.change ? { change: { added: input.change.added, removed: input.change.removed, changedSentences: input.change.changedSentences } } : {}),
  });
  const grounding = verifyGrounding(
    res.content,
    input.text,
    res.changeSummary && input.change ? { text: res.changeSummary, oldText: input.change.oldText } : undefined,
  );
  return {
    id: summaryKey({ contentHash: input.contentHash, promptHash: deps.prompts.hash, provider: deps.llm.name, model: deps.llm.model }),
    url: input.url,
    contentHash: input.contentHash,
    provider: deps.llm.name,
    model: deps.llm.model,
    promptHash: deps.prompts.hash,
    content: res.content,
    ...(res.changeSummary ? { changeSummary: res.changeSummary } : {}),
    grounding,
    usage: res.usage,
    createdAt: deps.clock().toISOString(),
  };
}
