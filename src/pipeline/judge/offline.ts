/**
 * The offline judge: no model, no cost. It answers from the deterministic verifier and says so in
 * every reason («Offline, ingen KI: …»), so that a judgement from it is never mistaken for a second
 * opinion. It lets `--judge` run, and be tested, without a key.
 */
import type { JudgeProvider, JudgeRequest, JudgeResponse } from '../../llm/judge.js';
import { VERIFIER_VERSION, verifyClaim } from '../verify/index.js';

/** The offline judge's model name: the verifier it answers from. */
export const OFFLINE_JUDGE_MODEL = `verifier-${VERIFIER_VERSION}`;

/** Deterministic stand-in for the LLM judge: the verifier's verdict, labelled as offline. */
export class OfflineJudge implements JudgeProvider {
  readonly name = 'offline';
  readonly model = OFFLINE_JUDGE_MODEL;

  async judge(req: JudgeRequest): Promise<JudgeResponse> {
    const r = verifyClaim(req.claim, req.spans, { language: req.language });
    const why =
      r.verdict === 'supported'
        ? 'kontrollen fant alle tall, navn og ord i utdragene.'
        : r.verdict === 'not-checkable'
          ? 'påstanden har ingenting å kontrollere.'
          : r.findings.map((f) => f.reason).join(' ');
    return { verdict: r.verdict, reason: `Offline, ingen KI: ${why}`, usage: { inputTokens: 0, outputTokens: 0 } };
  }
}
