/** The demo's simulated competitors (docs/benchmark.md ("In the demo")): scripted outages, probed and read as Vigil would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../app/probe-run.js';
import { currentStates, incidentMinutes } from '../ingest/statuspage.js';
import { OTHER, RIVAL, rivalDown, type SimulatedCompetitors, startCompetitors } from './competitors.js';

const H = Date.parse('2026-11-26T09:00:00Z'); // hour 9 of the day: 9 % 3 = 0, an hour the rival admits
const MIN = 60_000;

describe('simulated competitors', () => {
  let now = H;
  let competitors: SimulatedCompetitors;
  beforeAll(async () => {
    competitors = await startCompetitors(() => now);
  });
  afterAll(async () => competitors.close());

  it('labels every simulated owner as simulated and probes our own server beside them', () => {
    const spec = competitors.benchmarks('http://127.0.0.1:8080');
    expect(spec.probes.map((p) => [p.owner, p.journey, p.url.replace(competitors.url, 'SIM')])).toEqual([
      ['self', 'login', 'http://127.0.0.1:8080/healthz'],
      [RIVAL, 'login', `SIM/${RIVAL}/login`],
      [OTHER, 'login', `SIM/${OTHER}/login`],
    ]);
    expect([RIVAL, OTHER].every((o) => o.endsWith('-simulated'))).toBe(true);
    expect(spec.statusPages).toEqual([
      { owner: RIVAL, url: `${competitors.url}/${RIVAL}/status`, components: ['Payments'], journey: 'card-payment' },
    ]);
  });

  it('fails the rival for minutes 20–25 of the hour and times the other out for 45–47', async () => {
    const [, rival, other] = competitors.benchmarks('http://127.0.0.1:1').probes.map((p) => ({ ...p, timeoutMs: 1_000 }));
    now = H + 10 * MIN;
    expect(await runProbe(rival!)).toMatchObject({ ok: true });
    expect(await runProbe(other!)).toMatchObject({ ok: true });
    now = H + 20 * MIN;
    expect(await runProbe(rival!)).toMatchObject({ ok: false, error: 'status 503' });
    now = H + 46 * MIN;
    expect(await runProbe(other!)).toMatchObject({ ok: false, error: 'timeout after 1s' });
    expect([19, 20, 25, 26].map((m) => rivalDown(H + m * MIN))).toEqual([false, true, true, false]);
  });

  it('serves a Statuspage v2 site that admits the outages of every third hour only', async () => {
    const page = competitors.benchmarks('x').statusPages[0]!;
    const get = async (doc: string) => (await fetch(`${page.url}/api/v2/${doc}.json`)).json();
    now = H + 22 * MIN;
    expect(Object.fromEntries(currentStates(await get('summary'), ['Payments']))).toEqual({ Payments: 'down' });
    now = H + 60 * MIN + 22 * MIN; // hour 10: down, but not admitted
    expect(currentStates(await get('summary'), ['Payments']).size).toBe(0);
    // A day of history: hours 12, 15, 18, 21, 0, 3, 6, 9 of the past 24 hours admitted, 6 minutes each.
    now = H + 60 * MIN;
    const minutes = incidentMinutes(await get('incidents'), page, now - 24 * 60 * MIN, now);
    expect(minutes.length).toBe(8 * 6);
    expect(minutes.every((m) => m.state === 'down' && m.owner === RIVAL)).toBe(true);
  });
});
