/**
 * The shared vocabulary of the pipeline: the plain data that flows between stages.
 *
 *   Source → fetch → Fetched → extract → Extracted → diff → Change → summarize → Summary
 *          → review → ReviewItem → publish → Bundle;  Store → audit → AuditRow
 *
 * Every type here is JSON-serialisable (no Dates, no Maps) so it can be stored and
 * printed with `--json` as it is. Times are ISO-8601 strings in UTC.
 */

/** How a page is fetched: plain HTTP, a headless browser, or HTTP with a browser fallback. */
export type RenderMode = 'http' | 'browser' | 'auto';

/** The raw result of fetching one URL. */
export interface Fetched {
  /** The URL that was asked for (normalised). */
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  /** Every URL passed through on the way, in order, excluding `finalUrl`. Empty when not redirected. */
  redirects: string[];
  /** HTTP status of the final response (200 for a browser render that loaded). */
  status: number;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
  /** Media type without parameters, lower case (`text/html`). */
  contentType: string;
  /** The body decoded to text (charset from header, meta or BOM). Empty for a 304 and for a PDF. */
  body: string;
  /** The undecoded body of a binary document we extract (PDF); absent otherwise. */
  raw?: Uint8Array;
  /** Size of the body in bytes as received (after content decoding). */
  bytes: number;
  /** When the response arrived. */
  fetchedAt: string;
  /** Which fetcher produced it. */
  via: 'http' | 'browser';
  /** True when the server answered 304 Not Modified to a conditional request. */
  isNotModified: boolean;
}

/** Dates a page states about itself (ISO dates, `YYYY-MM-DD`). Kept out of the diffed text. */
export interface PageDates {
  published?: string;
  modified?: string;
}

/** Which path of the extractor produced the main content. */
export type ExtractMethod = 'selector' | 'readability' | 'main' | 'body' | 'pdf';

/** The readable content of one page. */
export interface Extracted {
  url: string;
  title: string;
  /** BCP-47 primary tag, e.g. `nb`, `nn`, `en`; `und` when unknown. */
  lang: string;
  description?: string;
  canonicalUrl?: string;
  /** The agency or owner the page names as its publisher (JSON-LD, meta author, og:site_name). */
  publisher?: string;
  /** Plain text of the main content, normalised for diffing (no date stamps, stable whitespace). */
  text: string;
  /** Markdown of the main content (tables, headings, lists, absolute links). */
  markdown: string;
  dates: PageDates;
  /** The date-stamp lines that were lifted out of `text` ("Sist oppdatert 12.03.2025"). */
  dateStamps: string[];
  /** sha256 hex of `text`: the identity of the content. */
  contentHash: string;
  method: ExtractMethod;
  /** Lines of the elements a source marks as noise (`ignore_selectors`): never counted as a change. */
  ignoredLines?: string[];
  /** Absolute http(s) links found in the whole page (for link following), de-duplicated, in page order. */
  links: string[];
}

/** `extract()` never throws for a page that is not an article: "not found" is a value. */
export type ExtractResult =
  | { ok: true; page: Extracted }
  | { ok: false; reason: string; code: 'not-html' | 'parse-error' | 'no-content' | 'extract-timeout' };

/** A piece of a word-level diff. `text` is the words as they stand in the old (del) or new (add, eq) text. */
export interface Hunk {
  op: 'eq' | 'add' | 'del';
  text: string;
}

export type ChangeKind = 'new' | 'changed' | 'unchanged' | 'removed';

/** What happened to a page between two versions. */
export interface Change {
  url: string;
  sourceId: string;
  kind: ChangeKind;
  /** Content hash of the version compared against (absent for `new`). */
  fromHash?: string;
  /** Content hash of the current version (absent for `removed`). */
  toHash?: string;
  /** Word-level hunks; equal runs are shortened to a little context. Empty for new/unchanged/removed. */
  hunks: Hunk[];
  /** Words added and removed. */
  stats: { added: number; removed: number };
  /**
   * For `unchanged`: the page's own date stamps changed although the content did not
   * (e.g. a new "Sist oppdatert"). Such a change creates no review item.
   */
  isDateOnly: boolean;
  /** For `changed`: only noise changed (counters, moved blocks, a source's ignore rules); no review item. */
  isNoise?: boolean;
  /** Sentences (from the new text) that contain added words: a short "what changed" list. */
  changedSentences: string[];
}

/** A fact the summary states, with the verbatim text from the page that supports it. */
export interface KeyFact {
  fact: string;
  quote: string;
}

/** The structured content of a page summary (Norwegian text). */
export interface SummaryContent {
  /** Plain-language summary, a few short paragraphs. */
  summary: string;
  keyFacts: KeyFact[];
  /** Who the page applies to, if the page says. */
  appliesTo: string;
  /** How to apply, if the page says. */
  howToApply: string;
  /** Deadlines stated on the page. */
  deadlines: string[];
  /** Contact points the page gives (phone, e-mail, address, web form), verbatim; absent on summaries stored before it existed. */
  contacts?: string[];
}

/** A figure in a summary that could not be found in the source text. */
export interface GroundingIssue {
  /** `claim`: a sentence its own spans do not support (see `Summary.claims`); `span` is the sentence. */
  kind: 'number' | 'quote' | 'claim';
  /** The offending span as it stands in the summary. */
  span: string;
  where: 'summary' | 'keyFacts' | 'appliesTo' | 'howToApply' | 'deadlines' | 'contacts' | 'changeSummary';
}

export interface GroundingReport {
  isGrounded: boolean;
  /** Figures checked, and how many were found in the source. */
  checked: number;
  issues: GroundingIssue[];
}

export interface TokenUsage {
  /** Input tokens billed at the full rate (not counting cache writes and reads). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens written to the prompt cache (`cache_creation_input_tokens`); absent when 0 or unknown. */
  cacheWriteTokens?: number;
  /** Input tokens read from the prompt cache (`cache_read_input_tokens`); absent when 0 or unknown. */
  cacheReadTokens?: number;
}

/** Readability figures of one text (see `pipeline/plain-language.ts`). */
export interface TextReadability {
  /** LIX: words per sentence + percentage of words longer than 6 letters. Under 40 is easy to read. */
  lix: number;
  words: number;
  sentences: number;
  /** Average words per sentence. */
  wordsPerSentence: number;
  /** Bureaucratic terms found, with a plain alternative and how often each occurs. */
  terms: { term: string; plain: string; count: number }[];
}

/** Plain-language check of a summary against its source page. */
export interface PlainLanguageReport {
  source: TextReadability;
  summary: TextReadability;
  /** The LIX target in force (default 40). */
  targetLix: number;
  /** The summary's LIX is at most the target and it uses none of the listed bureaucratic terms. */
  isPlain: boolean;
}

/** A stored summary of one content version; identified by its cache key. */
export interface Summary {
  /** sha256 of contentHash + promptHash + provider + model (+ the base's hash for a change): the cache key (`summaryKey`). */
  id: string;
  url: string;
  contentHash: string;
  provider: string;
  model: string;
  promptHash: string;
  content: SummaryContent;
  /** For a changed page: what changed, in plain Norwegian. */
  changeSummary?: string;
  grounding: GroundingReport;
  usage: TokenUsage;
  /** Estimated cost of producing it in USD, from `summarize.prices`; absent when the model has no price. */
  costUsd?: number;
  /** Produced through the Message Batches API (billed at half price). */
  isBatch?: boolean;
  /** Who it was written for, and in which written standard. */
  audience?: 'parents' | 'youth' | 'professionals';
  language?: 'nb' | 'nn';
  /** LIX, sentence length and bureaucratic terms of the source and the summary. */
  plainLanguage?: PlainLanguageReport;
  /**
   * Every sentence of every publishable field with the spans of stored Markdown it rests on and its
   * verdict (see `pipeline/verify/claims.ts`); absent only on summaries stored before claims existed.
   */
  claims?: Claim[];
  /** `VERIFIER_VERSION` of the verifier that judged `claims`. */
  verifierVersion?: string;
  createdAt: string;
}

export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'superseded';

/**
 * How much a change matters to a family, decided from the diff against the last approved version:
 * `material` (a figure, amount, age, date, deadline, eligibility or contact detail changed; a section
 * added or removed), `wording`, or `cosmetic` (punctuation, case, whitespace, word order).
 * New and removed pages are `material`. Review queues are ordered by it.
 */
export type ChangeClass = 'material' | 'wording' | 'cosmetic';

/** One decision an editor has to make: a new, changed or removed page with its summary. */
export interface ReviewItem {
  /** Short stable id derived from url + content hash (+ kind). */
  id: string;
  sourceId: string;
  url: string;
  kind: 'new' | 'changed' | 'removed';
  contentHash: string;
  /** The content hash this item was diffed against (the last approved, else the previous version). */
  baseHash?: string;
  /** How much the change matters (see `ChangeClass`); absent on items stored before it existed. */
  changeClass?: ChangeClass;
  /** Why it got that class, in a few words ("amount 8 232 → 8 500", "section added: Søknad"). */
  classReasons?: string[];
  /** Id of the Summary to publish; absent for removed pages or when summarising failed. */
  summaryId?: string;
  /** An editor's replacement for the generated summary text. */
  editedSummary?: string;
  /**
   * An editor's replacements of the other publishable fields, by field name, normalised
   * (`normalizeText`); list fields (keyFacts, deadlines, contacts) one item per line.
   */
  editedFields?: Record<string, string>;
  /** Unsupported claims an editor approved anyway, each with its reason (recorded at approval). */
  overrides?: ClaimOverride[];
  /** What exactly was approved: hashes of the published text and of its verification report. */
  approval?: ApprovalRecord;
  status: ReviewStatus;
  createdAt: string;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
  /** Public change note in Norwegian, as the editor confirmed it on approval (feeds, changes.json, CHANGELOG.md). */
  changeNote?: string;
  /** Major (readers should know) or minor change, as the editor confirmed it on approval. */
  isMajor?: boolean;
}

/** A per-page failure: recorded by the runner, never an exception that stops other pages. */
export interface PageFailure {
  url: string;
  sourceId: string;
  stage: 'robots' | 'fetch' | 'extract' | 'summarize' | 'store';
  /** Stable machine-readable code, e.g. `http-404`, `timeout`, `robots-disallowed`. */
  code: string;
  message: string;
}

/**
 * A span of stored text that a claim rests on: the version's content hash, character offsets into
 * the text the model was shown for that version (its stored Markdown, `Extracted.markdown`; UTF-16
 * code units, end exclusive) and the quoted text itself (exactly `markdown.slice(start, end)` when
 * the span resolves).
 */
export interface Span {
  contentHash: string;
  start: number;
  end: number;
  quote: string;
}

/** How a claim stands against its own spans (never against the whole page). */
export type ClaimVerdict = 'supported' | 'unsupported' | 'not-checkable';

/** One reason a claim is not supported; `code` is stable and machine-readable, `reason` is Norwegian for editors. */
export interface ClaimFinding {
  /** e.g. `number-missing`, `unit-mismatch`, `period-mismatch`, `comparator`, `negation`, `date`, `year`,
   * `reference`, `contact`, `url`, `named-entity`, `word-duration`, `low-overlap`, `instruction`, `span-missing`. */
  code: string;
  /** Plain Norwegian (bokmål) sentence for the editor. */
  reason: string;
}

/**
 * One publishable sentence of one field, with its evidence. `field` names the SummaryContent field
 * (`summary`, `keyFacts`, `appliesTo`, `howToApply`, `deadlines`, `contacts`, `changeSummary`, or any
 * field added later); `index` orders claims within the field.
 */
export interface Claim {
  field: string;
  index: number;
  text: string;
  spans: Span[];
  verdict: ClaimVerdict;
  findings: ClaimFinding[];
}

/** An unsupported claim an editor chose to publish anyway, bound to the claim's exact text. */
export interface ClaimOverride {
  /** `field.index` of the claim (`claimRef`). */
  ref: string;
  /** sha256 of the claim's normalised text: an override does not carry over to an edited sentence. */
  textSha256: string;
  reason: string;
  by: string;
  at: string;
}

/** What an approval was of: the text published and the verification report the editor saw. */
export interface ApprovalRecord {
  /** sha256 of the publishable fields as approved (stable JSON of normalised text). */
  textSha256: string;
  /** sha256 of the claims' verdicts and findings (stable JSON). */
  reportSha256: string;
  verifierVersion: string;
}
