/**
 * Injected instructions: text addressed to a model or assistant, never to a family — «ignorer
 * alle tidligere instruksjoner», «glem …», «du er nå …», «system:», role play, requests for
 * personal numbers or passwords. Such a sentence is unsupported whatever its spans say. Pure.
 */

const PATTERNS: RegExp[] = [
  /(?<![\p{L}])(ignorer|ignorér|ignore|disregard|overse|glem|gløym|forget)(?![\p{L}])/iu,
  /(?<![\p{L}])(instruksjon\p{L}*|instruks\p{L}*|instructions?|prompt\p{L}*|systemmelding\p{L}*)(?![\p{L}])/iu,
  /(?<![\p{L}])system\s*:/iu,
  /(?<![\p{L}])(du er (nå|no)|you are now|fra nå av|frå no av|from now on)(?![\p{L}])/iu,
  /(?<![\p{L}])(assistant|språkmodell\p{L}*|chatbot|ki-\p{L}+|ai-\p{L}+)(?![\p{L}])/iu,
  // «assistent» alone is BPA's word for a helper; addressed to a model it comes with «til», «som», «hjelpsom», «kjære».
  /(?<![\p{L}])(til|som|hjelpsom|kjære|hei|du er en|du er ein)\s+assistent(en)?(?![\p{L}])/iu,
  /(?<![\p{L}])(KI|AI|LLM|DAN)(?![\p{L}])/u,
  /(?<![\p{L}])(late som|lat som|liksom|rollespill|role-?play|pretend|act as|oppfør deg som|spill rollen)(?![\p{L}])/iu,
  /^\s*(svar|skriv|answer|respond|say|print)\s+(kun|bare|berre|only|med|with|at|that|eit|et|ett|ein|en|på)(?![\p{L}])/iu,
];

/** Requests for secrets: an instruction unless the source itself asks for them. */
const SECRETS = [
  /(?<![\p{L}])(personnummer\p{L}*|fødselsnummer\p{L}*|bankkonto\p{L}*|kontonummer\p{L}*|passord\p{L}*|kortnummer\p{L}*|password)(?![\p{L}])/iu,
];

/** The first instruction-like phrase in `claim`, or null; `source` is the spans' text. */
export function findInstruction(claim: string, source: string): string | null {
  for (const re of PATTERNS) {
    const m = re.exec(claim);
    if (m) return m[0].trim();
  }
  for (const re of SECRETS) {
    const m = re.exec(claim);
    if (m && !re.test(source)) return m[0].trim();
  }
  return null;
}
