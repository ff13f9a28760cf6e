/**
 * Compiled topic pages on the review page (Norwegian): a section of the queue listing the pending
 * ones, a page per compilation (the approved page's broken claims first, then the diff against the
 * last approved compilation, the text, each claim beside its member-page spans, and the forms),
 * and the editors' actions (edit, approve with a reason per unsupported claim, reject), with the
 * same rules as `eti topics`. Pages are pure templates, all text escaped; actions write the topic
 * file under the workspace lock.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { escapeHtml as e, osloTime, renderSideBySideHtml } from '../pipeline/publish/index.js';
import {
  decideTopic,
  editTopic,
  lastApproved,
  loadMemberPages,
  publishedTopicClaims,
  publishedTopicFields,
  readAllTopicFiles,
  readTopicFile,
  selectMembers,
  topicsDirOf,
  topicText,
  topicLogEntries,
  writeTopicFile,
  type TopicCompilation,
} from '../pipeline/topics/index.js';
import { CannotRunError, UsageError } from '../errors.js';
import { RefusedError } from '../pipeline/review/index.js';
import { storeDirOf } from '../store/store.js';
import { openForWrite } from './actions.js';
import { claimsBanner, claimsTable, FIELD_LABEL } from './claims-html.js';
import { CLASS_LABEL, layout, refusalText } from './html.js';

const AUDIENCE: Record<string, string> = { parents: 'foreldre', youth: 'ungdom', professionals: 'fagfolk' };

/** The review page's address of a compilation. */
export function topicHref(c: Pick<TopicCompilation, 'topicId' | 'id'>): string {
  return `/topic/${encodeURIComponent(c.topicId)}/${c.id.slice(0, 12)}`;
}

/** Every compilation waiting for review in a workspace, material first, then by topic. */
export async function pendingTopics(workspace: string): Promise<TopicCompilation[]> {
  const files = await readAllTopicFiles(topicsDirOf(storeDirOf(workspace)));
  return files.flatMap((f) => f.compilations.filter((c) => c.status === 'pending'));
}

/** The queue's section of topic pages waiting (empty when none). */
export function topicQueueSection(comps: readonly TopicCompilation[]): string {
  if (comps.length === 0) return '';
  const rows = comps.map((c) => {
    const bad = publishedTopicClaims(c).filter((x) => x.verdict === 'unsupported').length;
    const cls = c.changeClass ?? 'material';
    return `<tr><td><span class="class-${cls}">${CLASS_LABEL[cls]}</span>${c.broken?.length ? `<br>${c.broken.length} brutte kilder` : ''}</td><td><a href="${e(topicHref(c))}">${e(c.title)}</a><br><span class="muted">tema for ${e(AUDIENCE[c.audience] ?? c.audience)}, ${c.members.length} kildesider</span></td><td>${bad === 0 ? '' : `<span class="class-material">⚠ ${bad} påstander ikke bekreftet</span>`}</td></tr>`;
  });
  return `<h2>Temasider til vurdering (${comps.length})</h2>
<table class="queue"><caption class="vh">Temasider som venter</caption><thead><tr><th scope="col">Klasse</th><th scope="col">Temaside</th><th scope="col">Kontroll</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

export interface TopicForms {
  csrf: string;
  reviewer: string;
  message?: { isError: boolean; text: string };
}

function formsSection(c: TopicCompilation, forms: TopicForms): string {
  if (c.status !== 'pending') {
    return `<section><p>Denne temasiden er ${c.status === 'approved' ? 'godkjent' : c.status === 'rejected' ? 'avvist' : 'erstattet av en nyere'}${c.decidedBy ? ` av ${e(c.decidedBy)}${c.decidedAt ? ` ${e(osloTime(c.decidedAt))}` : ''}` : ''}.</p></section>`;
  }
  const base = topicHref(c);
  const fields = publishedTopicFields(c);
  const box = (f: string, text: string): string =>
    `<label for="field-${e(f)}">${e(FIELD_LABEL[f] ?? f)}</label><textarea id="field-${e(f)}" name="field:${e(f)}">${e(text)}</textarea>`;
  const boxes = [
    box('summary', fields.summary),
    box('appliesTo', fields.appliesTo),
    box('howToApply', fields.howToApply),
    box('keyFacts', fields.keyFacts.map((k) => k.fact).join('\n')),
  ].join('\n');
  const bad = publishedTopicClaims(c).filter((x) => x.verdict === 'unsupported');
  return `<section><h2>Vurdering</h2>
<form method="post" action="${e(base)}/approve" class="decide"><input type="hidden" name="csrf" value="${e(forms.csrf)}">
${boxes}
<label>Ditt navn (står i loggen) <input type="text" name="reviewer" value="${e(forms.reviewer)}" autocomplete="name" required></label>
<label>Merknad (valgfri) <input type="text" name="note"></label>
${bad.length > 0 ? `<h3>Påstander som ikke er bekreftet</h3>${claimsTable(bad, { canOverride: true })}` : ''}
<button type="submit" formaction="${e(base)}/edit">Lagre tekst</button>
<button type="submit">Godkjenn</button>
<button type="submit" formaction="${e(base)}/reject" class="reject">Avvis</button>
</form></section>`;
}

/** The page of one topic compilation. */
export function topicItemPage(
  c: TopicCompilation,
  approved: TopicCompilation | undefined,
  opts: { nonce: string; forms: TopicForms },
): string {
  const claims = publishedTopicClaims(c);
  const fields = publishedTopicFields(c);
  const parts = [
    `<h1>Temaside: ${e(c.title)}</h1>`,
    `<p class="muted">For ${e(AUDIENCE[c.audience] ?? c.audience)} · satt sammen ${e(osloTime(c.createdAt))} med ${e(c.provider)}/${e(c.model)}</p>`,
  ];
  if (opts.forms.message)
    parts.push(`<p class="${opts.forms.message.isError ? 'warning' : 'ok'}" role="status">${e(opts.forms.message.text)}</p>`);
  if (c.broken?.length) {
    parts.push(
      '<section><h2>Brutte kilder i den godkjente temasiden</h2><p class="warning">Disse påstandene i siden som er publisert nå, viser til tekst som ikke lenger står på kildesiden.</p><ul>',
      ...c.broken.map((b) => `<li>«${e(b.text)}» – <a href="${e(b.url)}">${e(b.url)}</a>: sitatet «${e(b.quote)}». ${e(b.reason)}</li>`),
      '</ul></section>',
    );
  }
  parts.push(
    '<section><h2>Kildesider</h2><ol>',
    ...c.members.map((m) => `<li><a href="${e(m.url)}">${e(m.title)}</a> – ${e(m.sourceName)}</li>`),
    '</ol></section>',
  );
  if (approved && approved.id !== c.id) {
    parts.push(
      `<section><h2>Endringer mot godkjent temaside${c.changeClass ? ` (${CLASS_LABEL[c.changeClass]})` : ''}</h2>`,
      renderSideBySideHtml(topicText(publishedTopicFields(approved)), topicText(fields), {
        oldLabel: 'Godkjent',
        newLabel: 'Ny',
        caption: 'Temasiden før og nå',
      }),
      '</section>',
    );
  }
  parts.push(
    `<section><h2>Tekst</h2><p>${e(fields.summary)}</p></section>`,
    `<section><h2>Påstander og kilder</h2>${claimsBanner(claims, { isEdited: c.editedClaims !== undefined })}${claimsTable(claims, { canOverride: false })}</section>`,
    formsSection(c, opts.forms),
  );
  return layout(`Temaside: ${c.title}`, parts.join('\n'), { nonce: opts.nonce, hasNameField: c.status === 'pending' });
}

/** A compilation and the last approved one of its audience, by topic id and id prefix; undefined when none matches. */
export async function findTopic(
  workspace: string,
  topicId: string,
  prefix: string,
): Promise<{ comp: TopicCompilation; approved: TopicCompilation | undefined } | undefined> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(topicId) || !/^[0-9a-f]{4,64}$/.test(prefix)) return undefined;
  const file = await readTopicFile(topicsDirOf(storeDirOf(workspace)), topicId);
  const matches = file.compilations.filter((c) => c.id.startsWith(prefix));
  if (matches.length !== 1) return undefined;
  return { comp: matches[0]!, approved: lastApproved(file.compilations, matches[0]!.audience) };
}

/**
 * An editor's action from the review page: `edit` (each changed field replaced and verified again),
 * `approve` (edits first, then the decision with a reason per unsupported claim) or `reject`.
 * Refusals are `RefusedError`s, as on the command line. Returns the compilation as stored.
 */
export async function topicAction(
  workspace: string,
  comp: TopicCompilation,
  action: 'edit' | 'approve' | 'reject',
  input: { by: string; at: string; note?: string; drafts: Record<string, string>; overrides: Record<string, string> },
  now: Date,
): Promise<TopicCompilation> {
  const { store, release } = await openForWrite(workspace, 'review --serve', now);
  try {
    const dir = topicsDirOf(storeDirOf(workspace));
    const file = await readTopicFile(dir, comp.topicId);
    const before = file.compilations.find((c) => c.id === comp.id) ?? comp;
    let next = before;
    const current = publishedTopicFields(next);
    const currentText = (f: string): string => {
      const v = (current as unknown as Record<string, unknown>)[f];
      return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : (x as { fact: string }).fact)).join('\n') : String(v ?? '');
    };
    const changed = Object.entries(input.drafts).filter(([f, t]) => t.replace(/\r\n?/g, '\n').trim() !== currentText(f).trim());
    if (changed.length > 0 && action !== 'reject') {
      const loaded = await loadConfig(path.join(workspace, 'sources.yaml'));
      const topic = loaded.config.topics.find((t) => t.id === comp.topicId);
      const pages = await loadMemberPages(store, loaded.sources, topic ? [topic] : []);
      const sel = topic ? selectMembers(topic, pages.candidates, pages.approved, loaded.sources) : undefined;
      const members = sel?.ok ? sel.members.filter((m) => next.members.some((x) => x.contentHash === m.contentHash)) : [];
      for (const [f, t] of changed) next = editTopic(next, f, t, members);
    }
    if (action !== 'edit') {
      next = decideTopic(next, {
        status: action === 'approve' ? 'approved' : 'rejected',
        by: input.by,
        at: input.at,
        ...(input.note ? { note: input.note } : {}),
        overrides: input.overrides,
      });
    }
    file.compilations = file.compilations.map((c) => (c.id === next.id ? next : c));
    await writeTopicFile(dir, file);
    await store.appendLog(topicLogEntries(before, next, { by: input.by, at: input.at }));
    return next;
  } finally {
    await release();
  }
}

/**
 * A POST from the review page on a topic page: the reviewer's name, the field boxes
 * (`field:<name>`) and a reason per unsupported claim (`override:<field.index>`). Answers a
 * redirect to the page when stored, the page with the refusal in Norwegian when refused, or 404.
 */
export async function topicPost(
  ctx: { workspace: string; csrf: string; nonce: string; clock: () => Date; reviewer?: string },
  topicId: string,
  prefix: string,
  action: 'approve' | 'reject' | 'edit',
  form: URLSearchParams,
): Promise<{ status: number; html?: string; location?: string }> {
  const found = await findTopic(ctx.workspace, topicId, prefix);
  if (!found) return { status: 404 };
  const reviewer = (form.get('reviewer') ?? '').trim() || ctx.reviewer || '';
  const drafts: Record<string, string> = {};
  const overrides: Record<string, string> = {};
  for (const [k, v] of form) {
    if (k.startsWith('field:')) drafts[k.slice(6)] = v;
    else if (k.startsWith('override:') && v.trim()) overrides[k.slice(9)] = v.trim();
  }
  const fail = (status: number, text: string) => ({
    status,
    html: topicItemPage(found.comp, found.approved, {
      nonce: ctx.nonce,
      forms: { csrf: ctx.csrf, reviewer, message: { isError: true, text } },
    }),
  });
  if (!reviewer) return fail(400, 'Skriv inn navnet ditt: det står i loggen.');
  const note = (form.get('note') ?? '').trim();
  try {
    const at = ctx.clock().toISOString();
    await topicAction(ctx.workspace, found.comp, action, { by: reviewer, at, ...(note ? { note } : {}), drafts, overrides }, ctx.clock());
  } catch (err) {
    if (err instanceof RefusedError) return fail(409, `Ikke lagret: ${refusalText(err.refusal)}`);
    if (err instanceof UsageError) return fail(409, `Ikke lagret: ${err.message}`);
    if (err instanceof CannotRunError) return fail(503, `Ikke lagret: ${err.message}`);
    throw err;
  }
  const done = action === 'edit' ? 'edited' : action === 'approve' ? 'approved' : 'rejected';
  return { status: 303, location: `/topic/${encodeURIComponent(topicId)}/${encodeURIComponent(prefix)}?done=${done}` };
}
