/**
 * The public summary (docs/public-page.md): daily success rates hand-computed from minute aggregates, a day without
 * attempts as no data, the calendar day of the configured zone, days older than the kept aggregates, the state in
 * customer words for every state, and its cost for 10 journeys × 90 days.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../../config/load.js';
import { SloRegistry } from '../../engine/slo-registry.js';
import type { VigilConfig } from '../../model/config.js';
import type { ScopeMinute } from '../../model/minutes.js';
import { renderPublicPage } from '../../server/public-html.js';
import { calendarDays, customerWords, dayClass, genericIncidentText, PUBLIC_DAYS, publicSummary } from './public-summary.js';

const MIN = 60_000;
/** 27 Nov 03:00Z is 26 Nov 22:00 in New York (EST, UTC−5). */
const NOW = Date.parse('2026-11-27T03:00:00Z');

function configOf(yaml: string): VigilConfig {
  const loaded = loadConfigFromString(yaml, 'vigil.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

const CONFIG = configOf(`version: vigil/v1
defaults: { timezone: America/New_York }
journeys:
  - name: card-payment
    displayName: Card payment
    public: true
    publicName: Card payments
    steps:
      - { name: authorise, services: [cards-api] }
    slos:
      - { name: success, objective: 99.9, window: 28d, sli: { kind: success } }
  - name: internal-batch
    steps:
      - { name: run, services: [batch] }
`);

function row(at: string, over: Partial<ScopeMinute>): ScopeMinute {
  return { journey: 'card-payment', step: null, minute: Date.parse(at) / MIN, success: 0, failure: 0, rejected: 0, abandoned: 0, ...over };
}

describe('daily bars', () => {
  it('counts successes ÷ (successes + failures) per New York day; a day without attempts is no data; old days are not kept', async () => {
    const registry = new SloRegistry(CONFIG);
    registry.applyScopeMinutes([
      // 25 Nov 23:30 in New York (26 Nov 04:30Z): 3 successes, 1 failure, 2 rejected (not an attempt's outcome that counts).
      row('2026-11-26T04:30:00Z', { success: 3, failure: 1, rejected: 2 }),
      // 26 Nov 21:00 in New York (27 Nov 02:00Z, after UTC midnight): 9 successes, 1 failure.
      row('2026-11-27T02:00:00Z', { success: 9, failure: 1 }),
      // A step event: whole-journey events exist, so steps are not counted.
      { ...row('2026-11-27T02:00:00Z', { failure: 50 }), step: 'authorise' },
    ]);
    const summary = await publicSummary(registry, undefined, NOW);
    expect(summary.timezone).toBe('America/New_York');
    expect(summary.journeys.map((j) => j.name)).toEqual(['Card payments']);
    const days = summary.journeys[0]!.days;
    expect(days).toHaveLength(PUBLIC_DAYS);
    expect(days.at(-1)).toEqual({ date: '2026-11-26', successRate: 0.9, class: 'poor', kept: true });
    expect(days.at(-2)).toEqual({ date: '2026-11-25', successRate: 0.75, class: 'poor', kept: true });
    expect(days.at(-3)).toEqual({ date: '2026-11-24', successRate: null, class: 'none', kept: true });
    expect(days[0]!.date).toBe('2026-08-29');
    // Aggregates are kept 39 days here (35 d of raw events + 3 d burn window + 1 d): from 18 Oct 23:00 New York time, so
    // 18 Oct to 26 Nov (14 + 26 = 40 days) are kept, the 50 before are not.
    expect(days.filter((d) => d.kept).map((d) => d.date)[0]).toBe('2026-10-18');
    expect(days.filter((d) => d.kept)).toHaveLength(40);
    expect(days.filter((d) => !d.kept).every((d) => d.successRate === null && d.class === 'none')).toBe(true);
  });

  it('measures a journey without whole-journey events on its last step', async () => {
    const registry = new SloRegistry(CONFIG);
    registry.applyScopeMinutes([{ ...row('2026-11-27T01:00:00Z', { success: 199, failure: 1 }), step: 'authorise' }]);
    const summary = await publicSummary(registry, undefined, NOW);
    expect(summary.journeys[0]!.days.at(-1)).toEqual({ date: '2026-11-26', successRate: 0.995, class: 'good', kept: true });
  });

  it('cuts days at local midnight across a daylight-saving change (1 Nov in New York has 25 hours)', () => {
    const days = calendarDays(Date.parse('2026-11-02T12:00:00Z'), 'America/New_York', 3);
    expect(days).toEqual([
      { date: '2026-10-31', from: Date.parse('2026-10-31T04:00:00Z'), to: Date.parse('2026-11-01T04:00:00Z') },
      { date: '2026-11-01', from: Date.parse('2026-11-01T04:00:00Z'), to: Date.parse('2026-11-02T05:00:00Z') },
      { date: '2026-11-02', from: Date.parse('2026-11-02T05:00:00Z'), to: Date.parse('2026-11-02T12:00:00Z') },
    ]);
  });

  it('classes a day by its rate', () => {
    expect([1, 0.995, 0.9949, 0.95, 0.9499, 0, null].map(dayClass)).toEqual(['good', 'good', 'reduced', 'reduced', 'poor', 'poor', 'none']);
  });
});

describe('state in customer words', () => {
  const sli = () => new SloRegistry(CONFIG).slis.find((s) => s.journey === 'card-payment')!.key;

  /** A registry with `perMinute` successes and failures over the `minutes` before NOW. */
  function traffic(minutes: number, success: number, failure: number): SloRegistry {
    const registry = new SloRegistry(CONFIG);
    const key = sli();
    for (let m = NOW / MIN - minutes; m < NOW / MIN; m++) {
      registry.applyScopeMinutes([{ journey: 'card-payment', step: null, minute: m, success, failure, rejected: 0, abandoned: 0 }]);
      registry.applySliMinutes([{ key, minute: m, good: success, total: success + failure }]);
    }
    return registry;
  }

  it.each([
    ['operational', 'Working normally', traffic(120, 100, 0)],
    ['quiet', 'No recent activity to report', new SloRegistry(CONFIG)],
    // 0.5% failing for 7 hours: a burn rate of 5 holds a ticket pair (3 d / 6 h at 1) but neither page pair (1 h / 5 m at 14.4,
    // 6 h / 30 m at 6): degraded.
    ['degraded', 'Working, but a small number of card payments may fail', traffic(7 * 60, 995, 5)],
    // 10% failing for an hour: the page pair (1 h / 5 m at 14.4) holds, and most still succeed: disrupted.
    ['disrupted', 'Some customers may see failures with card payments. We are working on it.', traffic(60, 90, 10)],
    // 80% failing over the last 15 minutes: major.
    ['major', 'Major disruption: most card payments are failing. We are working on it.', traffic(15, 2, 8)],
  ])('%s: "%s"', async (state, words, registry) => {
    const journey = (await publicSummary(registry, undefined, NOW)).journeys[0]!;
    expect(journey.state).toBe(state);
    expect(journey.words).toBe(words);
  });

  it('words every state, and an acronym keeps its capitals', () => {
    expect(customerWords('major', 'ATM withdrawals')).toBe('Major disruption: most ATM withdrawals are failing. We are working on it.');
    expect(genericIncidentText('Card payments', false)).toBe('We are investigating reduced reliability of card payments.');
    expect(genericIncidentText('Card payments', true)).toBe('Reduced reliability of card payments. This has been resolved.');
  });
});

describe('cost', () => {
  it('computes and draws 10 public journeys × 90 days from minute aggregates', async () => {
    const journeys = Array.from(
      { length: 10 },
      (_, i) =>
        `  - { name: j${i}, public: true, steps: [{ name: s, services: [svc] }], slos: [{ name: ok, objective: 99.9, window: 28d, sli: { kind: success } }] }`,
    ).join('\n');
    const config = configOf(`version: vigil/v1\ndefaults: { timezone: Europe/London }\njourneys:\n${journeys}\n`);
    const registry = new SloRegistry(config);
    const rows: ScopeMinute[] = [];
    // Every minute of the kept 39 days for each journey: 10 × 56,160 rows.
    for (let i = 0; i < 10; i++)
      for (let m = NOW / MIN - 39 * 1440; m < NOW / MIN; m++)
        rows.push({ journey: `j${i}`, step: null, minute: m, success: 50, failure: m % 97 === 0 ? 3 : 0, rejected: 0, abandoned: 0 });
    registry.applyScopeMinutes(rows);
    const started = performance.now();
    const summary = await publicSummary(registry, undefined, NOW);
    const html = renderPublicPage(summary);
    const elapsed = performance.now() - started;
    // Reported, not asserted against the clock (docs/public-page.md ("Serving")).
    console.info(`public page: 10 journeys × 90 days computed and drawn in ${elapsed.toFixed(1)} ms, ${html.length} bytes`);
    expect(summary.journeys).toHaveLength(10);
    expect(summary.journeys.every((j) => j.days.filter((d) => d.successRate !== null).length === 40)).toBe(true);
    expect(html.match(/<rect /g)).toHaveLength(900);
  });
});
