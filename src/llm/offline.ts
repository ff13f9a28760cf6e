import type { ClaimEvidence } from '../pipeline/verify/index.js';
import type { KeyFact, SummaryContent } from '../pipeline/types.js';
import { isInstruction } from '../instruction.js';
import { findFigures, splitSentences } from './norwegian.js';
import type { LlmProvider, SummaryRequest, SummaryResponse } from './provider.js';

const WHO =
  /\b(har rett|rett til|kan få|kan søke|gjelder for|for deg som|vilkår|må ha|må være|under \d+ år|over \d+ år|barn som|foreldre som|hvem kan|kven kan|har krav)\b/i;
const HOW = /\b(søk|søker|søknad|søknaden|skjema|send inn|sender|kontakt|ring|logg inn|fyll ut|søkje|søknadsskjema)\b/i;
const DEADLINE = /\b(frist|fristen|innen|senest|søknadsfrist|klagefrist)\b/i;
const CONTACT = /\b(kontakt|ring|telefon|tlf|e-post|epost|skriv til|chat)\w*/i;
const CUES =
  /\b(rett|kan få|må|vilkår|søk|søknad|skjema|frist|gjelder|kroner|kr|sats|stønad|pleiepenger|avlastning|vedtak|klage|betaler|utbetal)\w*/gi;

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

/** A short line without final punctuation and without cells: a heading or a table caption. */
function isHeading(line: string): boolean {
  return !line.includes(' | ') && !/[.!?:;,]$/.test(line) && line.split(/\s+/).length <= 10;
}

/**
 * Table rows as readable facts: "Grunnstønad – Sats 1: Per år 8 232 kroner, Per måned 686 kroner",
 * labelled with the heading above the table and the table's header row. The figures stay exactly
 * as on the page; the row itself is the quote.
 */
function tableFacts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let heading = '';
  let header: string[] | undefined;
  let previousWasRow = false;
  for (const line of text.split('\n')) {
    if (!line.includes(' | ')) {
      if (isHeading(line)) heading = line;
      previousWasRow = false;
      header = undefined;
      continue;
    }
    const cells = line.split(' | ');
    if (!previousWasRow && findFigures(line).filter((f) => f.kind !== 'number' || !/^\d{1,2}$/.test(f.raw)).length === 0) {
      header = cells;
      previousWasRow = true;
      continue;
    }
    previousWasRow = true;
    const [first, ...rest] = cells;
    const labelled = rest.map((c, i) => (header?.[i + 1] ? `${header[i + 1]} ${c}` : c)).join(', ');
    out.set(line, `${heading ? `${heading} – ` : ''}${first}: ${labelled}`);
  }
  return out;
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
    if (req.documents && req.documents.length > 0) return this.#compile(req.documents);
    const sentences = splitSentences(req.text).filter((s) => s.length >= 3 && !isInstruction(s));
    const rows = tableFacts(req.text);
    const scored = score(sentences);
    const prose = scored.filter((s) => s.isProse);
    const pick = [...prose]
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 4)
      .sort((a, b) => a.index - b.index);
    const factItems = scored
      .filter((s) => s.figures > 0 && !isHeading(s.text))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 12)
      .sort((a, b) => a.index - b.index);
    const keyFacts: KeyFact[] = factItems.map((s) => ({ fact: rows.get(s.text) ?? s.text, quote: s.text }));
    // The summary names the first figures of a table page too, so a rate is never only in the list.
    const firstRows = keyFacts
      .filter((f) => rows.has(f.quote))
      .slice(0, 2)
      .map((f) => `${f.fact}.`);
    const lead = (pick.length > 0 ? pick : scored.slice(0, 3)).map((s) => s.text);
    const summary = [...lead, ...firstRows].join(' ');
    const deadlines = prose
      .filter((s) => DEADLINE.test(s.text))
      .slice(0, 3)
      .map((s) => s.text);
    // Contact points: sentences that give a phone number, an e-mail address or a web address.
    const contacts = scored
      .filter((s) =>
        findFigures(s.text).some((f) => f.kind === 'phone' || f.kind === 'email' || (f.kind === 'url' && CONTACT.test(s.text))),
      )
      .slice(0, 3)
      .map((s) => s.text);
    const content: SummaryContent = { summary, keyFacts, appliesTo: best(scored, WHO), howToApply: best(scored, HOW), deadlines, contacts };
    // Extractive: every sentence is its own quote; a table fact quotes its row.
    const self = (field: string, text: string): ClaimEvidence => ({ field, text, quotes: [{ quote: text }] });
    const evidence: ClaimEvidence[] = [
      ...lead.map((t) => self('summary', t)),
      ...keyFacts
        .filter((f) => rows.has(f.quote))
        .slice(0, 2)
        .map((f) => ({ field: 'summary', text: f.fact, quotes: [{ quote: f.quote }] })),
      ...keyFacts.map((f) => ({ field: 'keyFacts', text: f.fact, quotes: [{ quote: f.quote }] })),
      ...(content.appliesTo ? [self('appliesTo', content.appliesTo)] : []),
      ...(content.howToApply ? [self('howToApply', content.howToApply)] : []),
      ...deadlines.map((t) => self('deadlines', t)),
      ...contacts.map((t) => self('contacts', t)),
    ];
    const response: SummaryResponse = { content, evidence, usage: { inputTokens: 0, outputTokens: 0 } };
    const changed = (req.change?.changedSentences ?? []).filter((l) => !isInstruction(l)).slice(0, 4);
    if (req.change && changed.length > 0) {
      response.changeSummary = `Endret: ${changed
        .map((l) => rows.get(l) ?? l)
        .join('. ')
        .replace(/\.\./g, '.')}`;
      // One entry per sentence of a changed line, so the pipeline's sentence split finds each one.
      evidence.push(
        ...changed.flatMap((l) =>
          rows.has(l)
            ? [{ field: 'changeSummary', text: rows.get(l)!, quotes: [{ quote: l, version: 'new' as const }] }]
            : splitSentences(l).map((t) => ({ field: 'changeSummary', text: t, quotes: [{ quote: t, version: 'new' as const }] })),
        ),
      );
    }
    return response;
  }

  /**
   * A topic page from several documents, extractively: each document summarised on its own, then
   * the first sentences of each field taken from every document in turn (document order), so every
   * member contributes and every sentence is still a verbatim quote of the page it came from.
   */
  async #compile(documents: NonNullable<SummaryRequest['documents']>): Promise<SummaryResponse> {
    const parts: SummaryResponse[] = [];
    for (const d of documents) {
      parts.push(
        await this.summarize({
          url: d.url,
          title: d.title,
          text: d.text,
          markdown: d.markdown,
          audience: 'parents',
          language: 'nb',
          system: '',
          prompt: '',
        }),
      );
    }
    const evidence: ClaimEvidence[] = [];
    const take = (field: string, perDoc: number): string[] => {
      const out: string[] = [];
      for (const p of parts) {
        const mine = (p.evidence ?? []).filter((e) => e.field === field && !out.includes(e.text)).slice(0, perDoc);
        evidence.push(...mine);
        out.push(...mine.map((e) => e.text));
      }
      return out;
    };
    // What it is comes first on a page: each document's first prose sentence leads its part.
    const firsts = documents.map((d) =>
      splitSentences(d.text).find((t) => t.split(/\s+/).length >= 6 && /[.!?]$/.test(t) && !t.includes(' | ') && !isInstruction(t)),
    );
    const lead: string[] = [];
    firsts.forEach((t, i) => {
      if (t && !lead.includes(t)) {
        lead.push(t);
        evidence.push({ field: 'summary', text: t, quotes: [{ quote: t }] });
      }
      const more = (parts[i]!.evidence ?? []).find((e) => e.field === 'summary' && !lead.includes(e.text));
      if (more) {
        lead.push(more.text);
        evidence.push(more);
      }
    });
    const summary = lead.join(' ');
    const keyFacts = parts.flatMap((p) => p.content.keyFacts.slice(0, 3));
    evidence.push(...keyFacts.map((f) => ({ field: 'keyFacts', text: f.fact, quotes: [{ quote: f.quote }] })));
    const content: SummaryContent = {
      summary,
      keyFacts,
      appliesTo: take('appliesTo', 1).join(' '),
      howToApply: take('howToApply', 1).join(' '),
      deadlines: take('deadlines', 2),
      contacts: take('contacts', 1),
    };
    return { content, evidence, usage: { inputTokens: 0, outputTokens: 0 } };
  }
}
