/**
 * Injected instructions: text addressed to a model or assistant, never to a family — «ignorer
 * alle tidligere instruksjoner», «glem …», «du er nå …», «system:», role play, requests for
 * personal numbers or passwords. One detector for the whole house, in the bottom layer: the claims
 * verifier calls such a sentence unsupported whatever its spans say, and the offline provider
 * never copies one into a summary. Pure.
 */

/** Each alone says the sentence speaks to a model. */
const STRONG: RegExp[] = [
  // «ignorer alle tidligere …», «glem reglene over», «gløym kjeldeteksten», «forget the source …»: a command about
  // what the model was given, within three words of the verb («Ikke glem å søke» is not one).
  /(?<![\p{L}])(ignorer|ignorér|ignore|disregard|overse|se bort fra|hopp over|glem|gløym|forget)(\s+\p{L}+){0,2}?\s+(alle?|alt|all|everything|tidligere|tidlegare|previous|prior|above|over|ovenfor|kild\p{L}*|kjeld\p{L}*|source|regl\p{L}*|instruks\p{L}*|instruksjon\p{L}*|instructions?|teksten|det du|kva du|what you)(?![\p{L}])/iu,
  /(?<![\p{L}])system\s*:/iu,
  /(?<![\p{L}])(du er (nå|no)|you are now)(?![\p{L}])/iu,
  // «assistent» alone is BPA's word for a helper; addressed to a model it comes with «til», «som», «hjelpsom», «kjære».
  /(?<![\p{L}])(til|som|hjelpsom|kjære|hei|du er en|du er ein)\s+assistent(en)?(?![\p{L}])/iu,
  /(?<![\p{L}])(late som|lat som|rollespill|role-?play|pretend|act as|oppfør deg som|spill rollen)(?![\p{L}])/iu,
  /^\s*(svar|skriv|answer|respond|say|print)\s+(kun|bare|berre|only|med|with|at|that|eit|et|ett|ein|en|på)(?![\p{L}])/iu,
];

/**
 * Each alone is ordinary page text («Ikke glem å søke», «Les instruksjonen», «KI i helsetjenesten»,
 * NAV's chatbot): only two of them together in one sentence speak to a model.
 */
const WEAK: RegExp[] = [
  /(?<![\p{L}])(ignorer|ignorér|ignore|disregard|overse|glem|gløym|forget)(?![\p{L}])/iu,
  /(?<![\p{L}])(instruksjon\p{L}*|instruks\p{L}*|instructions?|prompt\p{L}*|systemmelding\p{L}*)(?![\p{L}])/iu,
  /(?<![\p{L}])(fra nå av|frå no av|from now on)(?![\p{L}])/iu,
  /(?<![\p{L}])(assistant|språkmodell\p{L}*|chatbot)(?![\p{L}])/iu,
  // One kind of marker however often it recurs: «AI-drevet … AI» is one, not two.
  /(?<![\p{L}])(KI|AI|LLM|DAN|[Kk][Ii]-\p{L}+|[Aa][Ii]-\p{L}+)(?![\p{L}])/u,
  /(?<![\p{L}])liksom(?![\p{L}])/iu,
];

/** Requests for secrets: an instruction unless the source itself asks for them. */
const SECRETS = [
  /(?<![\p{L}])(personnummer\p{L}*|fødselsnummer\p{L}*|bankkonto\p{L}*|kontonummer\p{L}*|passord\p{L}*|kortnummer\p{L}*|password)(?![\p{L}])/iu,
];

/** The first instruction-like phrase in `claim`, or null; `source` is the spans' text. */
export function findInstruction(claim: string, source: string): string | null {
  for (const re of STRONG) {
    const m = re.exec(claim);
    if (m) return m[0].trim();
  }
  // Two markers, not one word read twice: «KI-verktøy» and «AI-powered» match both the prefix and the acronym.
  const weak: RegExpExecArray[] = [];
  for (const m of WEAK.map((re) => re.exec(claim))) {
    if (m && !weak.some((w) => m.index < w.index + w[0].length && w.index < m.index + m[0].length)) weak.push(m);
  }
  if (weak.length >= 2) return weak.map((m) => m[0].trim()).join(' … ');
  for (const re of SECRETS) {
    const m = re.exec(claim);
    if (m && !re.test(source)) return m[0].trim();
  }
  return null;
}

/** Whether `sentence` reads as addressed to a model (no source to excuse a request for secrets). */
export function isInstruction(sentence: string): boolean {
  return findInstruction(sentence, '') !== null;
}
