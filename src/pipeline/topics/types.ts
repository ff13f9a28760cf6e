/**
 * The vocabulary of compiled topics: the approved member pages a topic is compiled from, one
 * compilation per topic and audience (an LLM-written page whose every sentence is a claim citing
 * spans of member pages), and its review state. Plain JSON, stored in `.eti/topics/<id>.json`.
 */
import type { Audience } from '../../llm/provider.js';
import type { ApprovalRecord, Claim, ClaimOverride, SummaryContent, TokenUsage } from '../types.js';

/** One member page as an editor approved it: the content version of its latest approval. */
export interface TopicMember {
  url: string;
  sourceId: string;
  sourceName: string;
  owner: string;
  /** Content hash of the approved version (the spans' `contentHash`). */
  contentHash: string;
  title: string;
  /** The approved version's stored Markdown (what spans are offsets into) and plain text. */
  markdown: string;
  text: string;
}

/** A member as recorded with a compilation (without its text). */
export interface TopicMemberRef {
  url: string;
  sourceId: string;
  sourceName: string;
  owner: string;
  contentHash: string;
  title: string;
}

export type TopicStatus = 'pending' | 'approved' | 'rejected' | 'superseded';

/** A claim of the last approved compilation whose span no longer stands in its member's approved text. */
export interface BrokenClaim {
  /** `field.index` of the claim in the earlier compilation. */
  ref: string;
  text: string;
  url: string;
  quote: string;
  /** Norwegian, for the editor. */
  reason: string;
}

/** One compiled page of one topic for one audience, with its review state. */
export interface TopicCompilation {
  /** The cache key (`topicKey`): members' approved content hashes, prompt hash, provider, model. */
  id: string;
  topicId: string;
  title: string;
  audience: Audience;
  language: 'nb' | 'nn';
  members: TopicMemberRef[];
  provider: string;
  model: string;
  promptHash: string;
  content: SummaryContent;
  claims: Claim[];
  verifierVersion: string;
  usage: TokenUsage;
  costUsd?: number;
  createdAt: string;
  /** How it differs from the last approved compilation; absent for the first. */
  changeClass?: 'material' | 'wording' | 'cosmetic';
  /** Id of the last approved compilation it was compared with. */
  baseId?: string;
  /** Claims of the last approved compilation whose spans are gone from the members' approved text: shown first. */
  broken?: BrokenClaim[];
  status: TopicStatus;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
  /** An editor's replacements of publishable fields (normalised text; list fields one item per line). */
  editedFields?: Record<string, string>;
  /** The claims of the edited text, verified again against the members (replace `claims` when present). */
  editedClaims?: Claim[];
  overrides?: ClaimOverride[];
  approval?: ApprovalRecord;
}

/** A topic's file: every compilation, oldest first. */
export interface TopicFile {
  schemaVersion: 1;
  topicId: string;
  compilations: TopicCompilation[];
}

/** Why a topic (for an audience) was not compiled. */
export interface TopicSkip {
  topicId: string;
  audience: Audience;
  reason: string;
}
