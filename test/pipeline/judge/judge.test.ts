import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicJudge } from '../../../src/llm/anthropic-judge.js';
import { costUsd, priceFor } from '../../../src/llm/cost.js';
import { JUDGE_TOOL } from '../../../src/llm/judge.js';
import { Budget } from '../../../src/pipeline/summarize/budget.js';
import { JudgeCache } from '../../../src/pipeline/judge/cache.js';
import { type JudgeTask, runJudge } from '../../../src/pipeline/judge/judge.js';
import { OfflineJudge } from '../../../src/pipeline/judge/offline.js';
import { type AnthropicServer, startAnthropicServer } from '../../helpers/anthropic-server.js';

const MODEL = 'claude-haiku-4-5';
const clock = () => new Date('2026-03-01T12:00:00Z');
const noSleep = { pollMs: 1000, sleep: async () => {} };
const SPAN = 'Satsen er 8 232 kroner per år. Du må søke innen seks måneder.';

function task(ref: string, claim: string, verifier: JudgeTask['verifier'], itemId = 'item1'): JudgeTask {
  return { itemId, url: 'https://nav.example/side', ref, verifier, request: { field: 'summary', claim, spans: [SPAN], language: 'nb' } };
}
const verdict = (v: string, reason: string) => ({ kind: 'tool' as const, input: { verdict: v, reason } });

let server: AnthropicServer;
let dir: string;
beforeEach(async () => {
  server = await startAnthropicServer({ apiKey: 'k' });
  dir = await mkdtemp(path.join(tmpdir(), 'eti-judge-'));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const judge = () => new AnthropicJudge({ apiKey: 'k', baseURL: server.url, model: MODEL, maxRetries: 0 });
const budget = (maxCostUsd?: number) =>
  new Budget(maxCostUsd === undefined ? {} : { maxCostUsd }, priceFor('anthropic', MODEL), { isBatch: true });

describe('the LLM judge through the Message Batches API (loopback, real SDK)', () => {
  it('judges each distinct claim once in one batch, counts the cost, caches, and never lifts the verifier', async () => {
    server.enqueueBatch(verdict('supported', 'Utdraget sier 8 232 kroner per år.'), verdict('supported', 'Står i utdraget.'));
    const tasks = [
      task('summary.0', 'Satsen er 8 232 kroner per år.', 'supported'),
      task('summary.1', 'Satsen er 9 999 kroner per år.', 'unsupported'),
      task('summary.0', 'Satsen er 8 232 kroner per år.', 'supported', 'item2'), // same claim, same spans: one request
    ];
    const cache = await JudgeCache.open(dir);
    const r = await runJudge(tasks, { judge: judge(), cache, budget: budget(), clock, batch: noSleep });
    expect(server.batches).toHaveLength(1);
    expect(server.batches[0]!.requests).toHaveLength(2);
    expect(server.batches[0]!.requests[0]!.params.tool_choice).toEqual({ type: 'tool', name: JUDGE_TOOL });
    expect(server.batches[0]!.requests[0]!.params.messages[0]!.content).toContain('<<<UTDRAG 1');
    expect(server.log.some((l) => l.startsWith('GET /v1/messages/batches/msgbatch_1/results'))).toBe(true);
    expect(r.calls).toBe(2);
    expect(r.costUsd).toBeGreaterThan(0);
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(r.claims.map((c) => [c.ref, c.verifier, c.judge?.verdict, c.gate])).toEqual([
      ['summary.0', 'supported', 'supported', 'supported'],
      // The judge said supported; the verifier's unsupported stands.
      ['summary.1', 'unsupported', 'supported', 'unsupported'],
      ['summary.0', 'supported', 'supported', 'supported'],
    ]);
    expect(JSON.parse(await readFile(path.join(dir, '.eti/judgements.json'), 'utf8')).batches).toEqual([]);

    const again = await runJudge(tasks, { judge: judge(), cache: await JudgeCache.open(dir), budget: budget(), clock, batch: noSleep });
    expect(server.batches).toHaveLength(1); // nothing sent twice
    expect(again.calls).toBe(0);
    expect(again.cached).toBe(3);
    expect(again.costUsd).toBe(0);
  });

  it('reports a judge «unsupported» on a claim the verifier passed as a disagreement, not a block', async () => {
    server.enqueueBatch(verdict('unsupported', 'Utdraget sier ikke at alle kan søke.'));
    const r = await runJudge([task('summary.0', 'Du må søke innen seks måneder.', 'supported')], {
      judge: judge(),
      cache: await JudgeCache.open(dir),
      budget: budget(),
      clock,
      batch: noSleep,
    });
    expect(r.claims[0]).toMatchObject({ gate: 'supported', isDisagreement: true, judge: { verdict: 'unsupported' } });
  });

  it('stops before --max-cost: claims over the budget are deferred and not sent', async () => {
    const one = judge().estimate({ field: 'summary', claim: 'Satsen er 8 232 kroner per år.', spans: [SPAN], language: 'nb' });
    const price = priceFor('anthropic', MODEL)!;
    const perClaimUsd = ((one.inputTokens * price.input + one.outputTokens * price.output) / 1e6) * 0.5;
    server.enqueueBatch(verdict('supported', 'Står i utdraget.'));
    const tasks = [
      task('summary.0', 'Satsen er 8 232 kroner per år.', 'supported'),
      task('summary.1', 'Du må søke innen seks måneder.', 'supported'),
    ];
    const r = await runJudge(tasks, {
      judge: judge(),
      cache: await JudgeCache.open(dir),
      budget: budget(perClaimUsd * 1.5),
      clock,
      batch: noSleep,
    });
    expect(r.stoppedBy).toBe('max-cost');
    expect(server.batches[0]!.requests).toHaveLength(1);
    expect(r.deferred).toBe(1);
    expect(r.claims.map((c) => c.judge === null)).toEqual([false, true]);
    // Cost is counted from the usage the API reported (the loopback reports more than the estimate).
    expect(r.costUsd).toBeCloseTo(costUsd(r.usage, price, { isBatch: true }), 6);
    expect(r.costUsd).toBeGreaterThan(0);

    const none = await runJudge(tasks.slice(1), {
      judge: judge(),
      cache: await JudgeCache.open(dir),
      budget: budget(0),
      clock,
      batch: noSleep,
    });
    expect(none).toMatchObject({ calls: 0, deferred: 1, stoppedBy: 'max-cost' });
    expect(server.batches).toHaveLength(1);
  });

  it('asks again once, directly, when a batch answer is invalid; then records a failure', async () => {
    server.enqueueBatch({ kind: 'tool', input: { verdict: 'kanskje' } }, { kind: 'tool', input: { verdict: 'kanskje' } });
    server.enqueue(verdict('supported', 'Står i utdraget.'), { kind: 'text', text: 'nei' }, { kind: 'text', text: 'nei' });
    const r = await runJudge(
      [task('summary.0', 'Satsen er 8 232 kroner per år.', 'supported'), task('summary.1', 'Du må søke innen seks måneder.', 'supported')],
      { judge: judge(), cache: await JudgeCache.open(dir), budget: budget(), clock, batch: noSleep },
    );
    // Results come in any order: whichever is retried first gets the valid direct answer.
    expect(r.claims.map((c) => c.judge?.verdict ?? null).sort()).toEqual([null, 'supported']);
    expect(server.requests).toHaveLength(3); // one retry for each: the first answered, the second invalid twice
    expect(r.calls).toBe(4);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.message).toMatch(/summary\.[01]: .*no valid judgement/);
    expect(r.deferred).toBe(0);
  });

  it('leaves a batch still running for the next run, which collects it without sending again', async () => {
    server.pollsUntilEnded = 5;
    server.enqueueBatch(verdict('supported', 'Står i utdraget.'));
    const tasks = [task('summary.0', 'Satsen er 8 232 kroner per år.', 'supported')];
    const first = await runJudge(tasks, {
      judge: judge(),
      cache: await JudgeCache.open(dir),
      budget: budget(),
      clock,
      batch: { ...noSleep, maxWaitMs: 1000 },
    });
    expect(first.deferred).toBe(1);
    expect(first.batches.submitted).toEqual(['msgbatch_1']);
    server.pollsUntilEnded = 0;
    const second = await runJudge(tasks, { judge: judge(), cache: await JudgeCache.open(dir), budget: budget(), clock, batch: noSleep });
    expect(second.batches).toEqual({ submitted: [], resumed: ['msgbatch_1'] });
    expect(second.claims[0]!.judge?.verdict).toBe('supported');
    expect(server.batches).toHaveLength(1);
  });
});

describe('the offline judge', () => {
  it('answers from the verifier, deterministically, and says it is no model', async () => {
    const tasks = [
      task('summary.0', 'Satsen er 8 232 kroner per år.', 'supported'),
      task('summary.1', 'Satsen er 9 999 kroner per år.', 'unsupported'),
    ];
    const r = await runJudge(tasks, {
      judge: new OfflineJudge(),
      cache: await JudgeCache.open(dir),
      budget: new Budget({}, priceFor('offline', 'x')),
      clock,
    });
    expect(r.claims.map((c) => c.judge?.verdict)).toEqual(['supported', 'unsupported']);
    for (const c of r.claims) expect(c.judge!.reason).toMatch(/^Offline, ingen KI: /);
    expect(r.claims[1]!.judge!.reason).toContain('9 999');
    expect(r.costUsd).toBe(0);
  });

  it('refuses a judgements file that is not one, naming it', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, '.eti'), { recursive: true });
    await writeFile(path.join(dir, '.eti/judgements.json'), '{"x":1}');
    await expect(JudgeCache.open(dir)).rejects.toThrow(/judgements\.json: expected schemaVersion 1/);
  });
});
