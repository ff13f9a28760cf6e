/**
 * Compiled topics in a bundle: the schema of `bundle.json`'s `topics` (each topic page with its
 * member sources, claims and spans, overrides), the published form of an approved compilation,
 * and its Markdown page (`topics/<id>-<audience>.md`) with footnotes naming the member page each
 * sentence rests on.
 */
import { z } from 'zod';
import { claimRef, claimTextHash } from '../verify/index.js';
import { bundleClaimSchema, type BundleClaim } from './evidence.js';
import { publishedTopicClaims, publishedTopicFields, type TopicCompilation } from '../topics/index.js';

const keyFact = z.strictObject({ fact: z.string(), quote: z.string() });

export const bundleTopicSchema = z.strictObject({
  id: z.string().describe('The topic id from sources.yaml.'),
  slug: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .describe('File name of topics/<slug>.md and the site page: <id>-<audience>.'),
  title: z.string(),
  audience: z.string(),
  lang: z.string(),
  members: z
    .array(
      z.strictObject({
        url: z.string(),
        title: z.string(),
        sourceId: z.string(),
        sourceName: z.string(),
        owner: z.string(),
        contentHash: z.string().describe("The approved content the topic was compiled from (the spans' contentHash)."),
      }),
    )
    .describe('The approved member pages the topic page was compiled from.'),
  summary: z.string(),
  keyFacts: z.array(keyFact),
  appliesTo: z.string(),
  howToApply: z.string(),
  deadlines: z.array(z.string()),
  contacts: z.array(z.string()),
  isEdited: z.boolean(),
  compilationId: z.string().describe("The compilation's cache key (members' hashes, prompt hash, provider, model)."),
  provider: z.string(),
  model: z.string(),
  promptHash: z.string(),
  approvedAt: z.string(),
  approvedBy: z.string(),
  isGrounded: z.boolean().describe('True when every published claim is supported by its own spans (an overridden claim is not).'),
  claims: z.array(bundleClaimSchema).describe('Every published sentence with the member-page spans it rests on and its verdict.'),
  verifierVersion: z.string(),
});
export type BundleTopic = z.infer<typeof bundleTopicSchema>;

/** The published form of an approved compilation. Pure. */
export function bundleTopic(c: TopicCompilation): BundleTopic {
  const fields = publishedTopicFields(c);
  const claims: BundleClaim[] = publishedTopicClaims(c).map((claim) => {
    const o = c.overrides?.find((x) => x.ref === claimRef(claim) && x.textSha256 === claimTextHash(claim.text));
    return {
      ref: claimRef(claim),
      field: claim.field,
      index: claim.index,
      text: claim.text,
      verdict: claim.verdict,
      findings: claim.findings,
      spans: claim.spans,
      ...(o && claim.verdict === 'unsupported' ? { override: { reason: o.reason, by: o.by, at: o.at } } : {}),
    };
  });
  return {
    id: c.topicId,
    slug: `${c.topicId}-${c.audience}`,
    title: c.title,
    audience: c.audience,
    lang: c.language,
    members: c.members.map((m) => ({
      url: m.url,
      title: m.title,
      sourceId: m.sourceId,
      sourceName: m.sourceName,
      owner: m.owner,
      contentHash: m.contentHash,
    })),
    summary: fields.summary,
    keyFacts: fields.keyFacts,
    appliesTo: fields.appliesTo,
    howToApply: fields.howToApply,
    deadlines: fields.deadlines,
    contacts: fields.contacts ?? [],
    isEdited: c.editedFields !== undefined && Object.keys(c.editedFields).length > 0,
    compilationId: c.id,
    provider: c.provider,
    model: c.model,
    promptHash: c.promptHash,
    approvedAt: c.decidedAt ?? '',
    approvedBy: c.decidedBy ?? '',
    isGrounded: claims.every((x) => x.verdict !== 'unsupported'),
    claims,
    verifierVersion: c.verifierVersion,
  };
}

/** The member page a claim's first span is on (its number in `members`, 1-based), or 0. */
export function memberNumber(t: BundleTopic, claim: BundleClaim): number[] {
  const out = new Set<number>();
  for (const s of claim.spans) {
    const i = t.members.findIndex((m) => m.contentHash === s.contentHash);
    if (i >= 0) out.add(i + 1);
  }
  return [...out].sort((a, b) => a - b);
}

/** Claims of one field, in order (a list field's claims follow its items). */
function claimsOf(t: BundleTopic, field: string): BundleClaim[] {
  return t.claims.filter((c) => c.field === field);
}

/** The Markdown page of a published topic: sections, each sentence marked with the sources it rests on, sources listed. */
export function topicMarkdown(t: BundleTopic, esc: (s: string) => string): string {
  const marks = (field: string): string => {
    const n = [...new Set(claimsOf(t, field).flatMap((c) => memberNumber(t, c)))].sort((a, b) => a - b);
    return n.length > 0 ? ` ${n.map((i) => `[^${i}]`).join('')}` : '';
  };
  const out = [
    '---',
    `title: ${JSON.stringify(t.title)}`,
    `audience: ${t.audience}`,
    `approved_by: ${JSON.stringify(t.approvedBy)}`,
    `approved_at: ${t.approvedAt}`,
    `grounded: ${t.isGrounded}`,
    '---',
    '',
    `${esc(t.summary)}${marks('summary')}`,
    '',
  ];
  if (t.keyFacts.length > 0) out.push('## Viktige fakta', '', ...t.keyFacts.map((f) => `- ${esc(f.fact)}`), '');
  if (t.appliesTo) out.push('## Hvem har rett?', '', `${esc(t.appliesTo)}${marks('appliesTo')}`, '');
  if (t.howToApply) out.push('## Slik søker du', '', `${esc(t.howToApply)}${marks('howToApply')}`, '');
  if (t.deadlines.length > 0) out.push('## Frister', '', ...t.deadlines.map((d) => `- ${esc(d)}`), '');
  if (t.contacts.length > 0) out.push('## Kontakt', '', ...t.contacts.map((c) => `- ${esc(c)}`), '');
  out.push('## Kilder', '', ...t.members.map((m, i) => `[^${i + 1}]: ${esc(m.title)} (${esc(m.sourceName)}): <${m.url}>`), '');
  const overridden = t.claims.filter((c) => c.override);
  if (overridden.length > 0) {
    out.push(
      '## Publisert uten støtte i kildene',
      '',
      ...overridden.map((c) => `- «${esc(c.text)}»: ${esc(c.override!.reason)} (${esc(c.override!.by)})`),
      '',
    );
  }
  return out.join('\n');
}
