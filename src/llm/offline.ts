import type { KeyFact, SummaryContent } from '../pipeline/types.js';
import { findFigures, splitSentences } from './norwegian.js';
import type { LlmProvider, SummaryRequest, SummaryResponse } from './provider.js';

const WHO = /\b(har rett|rett til|kan få|kan søke|gjelder for|for deg som|vilkår|må ha|må være|under \d+ år|over \d+ år|barn som|foreldre som|hvem kan|kven kan|har krav)\b/i;
const HOW = /\b(søk|søker|søknad|søknaden|skjema|send inn|sender|kontakt|ring|logg inn|fyll ut|søkje|søknadsskjema)\b/i;
const DEADLINE = /\b(frist|fristen|innen|senest|søknadsfrist|klagefrist)\b/i;
const CUES = /\b(rett|kan få|må|vilkår|søk|søknad|skjema|frist|gjelder|kroner|kr|sats|stønad|pleiepenger|avlastning|vedtak|klage|betaler|utbetal)\w*/gi;

interface Scored {
  text: string;
  index: number;
  score: number;
  isProse: boolean;
  figures: number;
}

function score(sentences: string[]): Scored[] {
  return sentences.map((text, index) => {
    const figures = findFigures(text).length;
    const words = text.split(/\s+/).length;
    const isProse = words >= 6 && !text.includes(' | ') && /[.!?:]$/.test(text);
    const cues = text.match(CUES)?.length ?? 0;
    const s = figures * 2 + cues + (index < 5 ? 1 : 0) + (isProse ? 1 : 0) - (words > 45 ? 2 : 0);
    return { text, index, score: s, isProse, figures };
  });
}

function best(items: Scored[], re: RegExp): string {
  const hits = items.filter((s) => s.isProse && re.test(s.text)).sort((a, b) => b.score - a.score || a.index - b.index);
  return hits[0]?.text ?? '';
}

/**
 * The no-key default: a deterministic extractive summariser for Norwegian pages. It copies
 * the sentences that carry the facts (figures, who qualifies, how to apply, deadlines)
 * verbatim, so every summary is grounded by construction; it cannot simplify language or
 * translate, which is what the LLM providers are for.
 */
export class OfflineProvider implements LlmProvider {
  readonly name = 'offline';
  readonly model = 'extractive-v1';

  async summarize(req: SummaryRequest): Promise<SummaryResponse> {
    const sentences = splitSentences(req.text).filter((s) => s.length >= 3);
    const scored = score(sentences);
    const prose = scored.filter((s) => s.isProse);
    const pick = [...prose].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, 5).sort((a, b) => a.index - b.index);
    const summary = (pick.length > 0 ? pick : scored.slice(0, 3)).map((s) => s.text).join(' ');
    const keyFacts: KeyFact[] = scored
      .filter((s) => s.figures > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 8)
      .sort((a, b) => a.index - b.index)
      .map((s) => ({ fact: s.text, quote: s.text }));
    const deadlines = prose.filter((s) => DEADLINE.test(s.text)).slice(0, 3).map((s) => s.text);
    const content: SummaryContent = { summary, keyFacts, appliesTo: best(scored, WHO), howToApply: best(scored, HOW), deadlines };
    const response: SummaryResponse = { content, usage: { inputTokens: 0, outputTokens: 0 } };
    if (req.change && req.change.changedSentences.length > 0) {
      response.changeSummary = `Endret: ${req.change.changedSentences.slice(0, 4).join(' ')}`;
    }
    return response;
  }
}
