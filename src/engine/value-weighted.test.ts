/** Value-weighted SLIs (docs/slo-maths.md ("Value-weighted SLIs")): configuration, key, contribution and status, on hand-computed cases. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from '../config/load.js';
import { yaml } from '../config/test-yaml.js';
import type { JourneySpec, VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { minuteOf } from '../model/minutes.js';
import { evaluateSlo, sloHistory } from './evaluate.js';
import { MinuteSeries } from './minute-series.js';
import { amountProblem, eventWeight, sliContribution, sliDefinition } from './sli.js';

const AT = Date.parse('2026-11-26T10:00:30Z');

function config(currency: string, objective = 99.9, minEvents = 0): VigilConfig {
  const loaded = loadConfigFromString(
    yaml`
      version: vigil/v1
      journeys:
        - name: card-payment
          value: { currency: ${currency} }
          steps: [ { name: authorise } ]
          slos:
            - { name: value, objective: ${objective}, window: 1d, sli: { kind: success, weight: amount }, alerting: { minEvents: ${minEvents} } }
            - { name: count, objective: ${objective}, window: 1d, sli: { kind: success } }
    `,
    'vigil.yaml',
  );
  if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
  return loaded.config;
}

/** Folds events into the SLO's series as the store and registry do: one contribution per event in its minute. */
function seriesOf(journey: JourneySpec, sloIndex: number, events: readonly JourneyEvent[]): MinuteSeries {
  const def = sliDefinition(journey, journey.slos[sloIndex]!);
  const series = new MinuteSeries(2);
  for (const event of events) {
    const c = sliContribution(def, event);
    series.add(minuteOf(event.timestamp), 0, c.good);
    series.add(minuteOf(event.timestamp), 1, c.total);
  }
  return series;
}

const pay = (amount: number, outcome: 'success' | 'failure', currency?: string, offsetMs = -60_000): JourneyEvent => ({
  journey: 'card-payment',
  outcome,
  amount,
  timestamp: AT + offsetMs,
  ...(currency !== undefined && { currency }),
});

describe('value-weighted SLO status, hand-computed', () => {
  const cases: {
    name: string;
    currency: string;
    events: JourneyEvent[];
    /** good and total in minor units, so the SLI is their exact ratio. */
    goodMinor: number;
    totalMinor: number;
    good: number;
    total: number;
    consumed: number;
  }[] = [
    {
      name: '10.00, 2,500.00 and 0.01 GBP; the 2,500.00 fails',
      currency: 'GBP',
      events: [pay(10, 'success', 'GBP'), pay(2500, 'failure'), pay(0.01, 'success', 'GBP')],
      goodMinor: 1001,
      totalMinor: 251_001,
      good: 10.01,
      total: 2510.01,
      consumed: 2500,
    },
    {
      name: '0.1 + 0.2 EUR succeed, 0.3 EUR fails: no float drift',
      currency: 'EUR',
      events: [pay(0.1, 'success'), pay(0.2, 'success'), pay(0.3, 'failure')],
      goodMinor: 30,
      totalMinor: 60,
      good: 0.3,
      total: 0.6,
      consumed: 0.3,
    },
    {
      name: 'JPY has no minor unit: 1,000 and 5 yen, the 5 fails',
      currency: 'JPY',
      events: [pay(1000, 'success'), pay(5, 'failure')],
      goodMinor: 1000,
      totalMinor: 1005,
      good: 1000,
      total: 1005,
      consumed: 5,
    },
    {
      name: 'BHD has three: 1.234 succeeds, 0.001 fails',
      currency: 'BHD',
      events: [pay(1.234, 'success'), pay(0.001, 'failure')],
      goodMinor: 1234,
      totalMinor: 1235,
      good: 1.234,
      total: 1.235,
      consumed: 0.001,
    },
    {
      name: '1,000 failed £5 card payments against one failed £2m CHAPS payment, beside £100m that succeeded',
      currency: 'GBP',
      events: [
        ...Array.from({ length: 1000 }, () => pay(5, 'failure')),
        pay(2_000_000, 'failure', 'GBP', -120_000),
        pay(100_000_000, 'success', 'GBP', -180_000),
      ],
      goodMinor: 10_000_000_000,
      totalMinor: 10_200_500_000,
      good: 100_000_000,
      total: 102_005_000,
      consumed: 2_005_000,
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const journey = config(c.currency).journeys[0]!;
    const status = evaluateSlo({ journey, slo: journey.slos[0]!, series: seriesOf(journey, 0, c.events), atMs: AT, timeZone: 'UTC' });
    expect(status.unit).toBe('amount');
    expect(status.currency).toBe(c.currency);
    expect(status.sli).toBe(c.goodMinor / c.totalMinor);
    expect(status.good).toBe(c.good);
    expect(status.total).toBe(c.total);
    expect(status.errorBudget.consumed).toBe(c.consumed);
    // allowed = (1 − 0.999) × total, in the currency.
    expect(status.errorBudget.allowed).toBeCloseTo(c.total / 1000, 9);
    expect(status.errorBudget.remaining).toBeCloseTo(1 - c.consumed / (c.total / 1000), 9);
    // The 1h burn is the same ratio over the same sums.
    expect(status.burnRates['1h']).toBeCloseTo((c.totalMinor - c.goodMinor) / c.totalMinor / 0.001, 9);
  });

  it('weights a failed £2m CHAPS payment 400 times a thousand failed £5 card payments', () => {
    const journey = config('GBP').journeys[0]!;
    const card = evaluateSlo({
      journey,
      slo: journey.slos[0]!,
      series: seriesOf(journey, 0, [pay(10_000_000, 'success'), ...Array.from({ length: 1000 }, () => pay(5, 'failure'))]),
      atMs: AT,
      timeZone: 'UTC',
    });
    const chaps = evaluateSlo({
      journey,
      slo: journey.slos[0]!,
      series: seriesOf(journey, 0, [pay(10_000_000, 'success'), pay(2_000_000, 'failure')]),
      atMs: AT,
      timeZone: 'UTC',
    });
    expect(card.errorBudget.consumed).toBe(5000);
    expect(chaps.errorBudget.consumed).toBe(2_000_000);
    expect(chaps.errorBudget.consumed / card.errorBudget.consumed).toBe(400);
    // Counted in events the story is the other way round: 1,000 failures against one.
    const countCard = evaluateSlo({
      journey,
      slo: journey.slos[1]!,
      series: seriesOf(journey, 1, [pay(10_000_000, 'success'), ...Array.from({ length: 1000 }, () => pay(5, 'failure'))]),
      atMs: AT,
      timeZone: 'UTC',
    });
    expect(countCard.unit).toBe('events');
    expect(countCard.currency).toBeUndefined();
    expect(countCard.errorBudget.consumed).toBe(1000);
  });

  it('reads alerting.minEvents as an amount in the currency, and reports the long window in it', () => {
    const events = [pay(100, 'success'), pay(900, 'failure')];
    for (const [minEvents, fires] of [
      [1000, true],
      [1001, false],
    ] as const) {
      const journey = config('GBP', 99.9, minEvents).journeys[0]!;
      const status = evaluateSlo({ journey, slo: journey.slos[0]!, series: seriesOf(journey, 0, events), atMs: AT, timeZone: 'UTC' });
      expect(status.alerts.pairs[0]!.longWindowEvents).toBe(1000);
      expect(status.alerts.page).toBe(fires);
    }
  });

  it('gives chart points their step sums in the currency', () => {
    const journey = config('GBP').journeys[0]!;
    const points = sloHistory({
      slo: journey.slos[0]!,
      series: seriesOf(journey, 0, [pay(10, 'success'), pay(0.01, 'failure')]),
      timeZone: 'UTC',
      fromMs: AT,
      toMs: AT,
      stepMs: 3_600_000,
    });
    expect(points[0]).toMatchObject({ stepGood: 10, stepTotal: 10.01 });
  });
});

describe('value-weighted SLI definition', () => {
  it('keys an amount-weighted SLI apart from the event-counted one, naming its currency; event keys are unchanged', () => {
    const journey = config('GBP').journeys[0]!;
    expect(sliDefinition(journey, journey.slos[1]!).key).toBe('card-payment|*|success|abandoned:ok');
    expect(sliDefinition(journey, journey.slos[0]!).key).toBe('card-payment|*|success|abandoned:ok|amount:GBP');
    const inEuros = config('EUR').journeys[0]!;
    expect(sliDefinition(inEuros, inEuros.slos[0]!).key).toBe('card-payment|*|success|abandoned:ok|amount:EUR');
  });

  it('weighs an event in whole minor units, and not at all without an amount, below zero or in another currency', () => {
    const def = { currency: 'GBP' };
    expect(eventWeight(def, { amount: 2500 })).toBe(250_000);
    expect(eventWeight(def, { amount: 0.29, currency: 'GBP' })).toBe(29);
    expect(eventWeight(def, { amount: 1.005 })).toBe(101);
    expect(eventWeight(def, {})).toBeNull();
    expect(eventWeight(def, { amount: -1 })).toBeNull();
    expect(eventWeight(def, { amount: 10, currency: 'EUR' })).toBeNull();
  });

  it('names the problem of an event an amount-weighted SLI cannot count, and has none for events it does not count', () => {
    const journey = config('GBP').journeys[0]!;
    const defs = journey.slos.map((slo) => sliDefinition(journey, slo));
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'failure' })?.code).toBe('amount_required');
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'success', amount: -3 })?.code).toBe('amount_required');
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'success', amount: 3, currency: 'EUR' })?.code).toBe(
      'currency_mismatch',
    );
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'success', amount: 3 })).toBeNull();
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'success', amount: 0, currency: 'GBP' })).toBeNull();
    // Rejected events, abandoned ones the SLI ignores, and step events are not counted by the whole-journey SLI.
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'rejected' })).toBeNull();
    expect(amountProblem(defs, { journey: 'card-payment', outcome: 'abandoned' })).toBeNull();
    expect(amountProblem(defs, { journey: 'card-payment', step: 'authorise', outcome: 'failure' })).toBeNull();
  });
});

describe('value-weighted SLO configuration', () => {
  const problems = (text: string) => {
    const loaded = loadConfigFromString(text, 'vigil.yaml');
    return loaded.ok ? [] : loaded.errors.map(formatProblem);
  };

  it('defaults to events and resolves weight: amount with the journey currency', () => {
    const journey = config('GBP').journeys[0]!;
    expect(journey.slos[0]!.sli).toMatchObject({ weight: 'amount', currency: 'GBP' });
    expect(journey.slos[1]!.sli.weight).toBeUndefined();
  });

  it('refuses weight: amount without the journey value.currency, at the weight', () => {
    expect(
      problems(yaml`
        version: vigil/v1
        journeys:
          - name: card-payment
            steps: [ { name: authorise } ]
            slos:
              - name: value
                sli: { kind: success, weight: amount }
      `),
    ).toEqual([
      "vigil.yaml:7:39: journeys[0].slos[0].sli.weight: an amount-weighted SLI needs the journey's value.currency, the one currency it counts",
    ]);
  });

  it('refuses weight: amount with timeslices, and an unknown weight', () => {
    const found = problems(yaml`
      version: vigil/v1
      journeys:
        - name: card-payment
          value: { currency: GBP }
          steps: [ { name: authorise } ]
          slos:
            - name: value
              budgeting: timeslices
              sli: { kind: success, weight: amount }
            - name: other
              sli: { kind: success, weight: money }
    `);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^vigil\.yaml:9:39: .*sli.weight: amount weighting applies only to budgeting: occurrences/);
    expect(found[1]).toMatch(/^vigil\.yaml:11:39: .*'events' or 'amount'/);
  });
});

describe('the docs of value-weighted SLOs', () => {
  const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

  it('docs/slo-maths.md: the worked example is what the engine computes, in events and in money', () => {
    const doc = read('docs/slo-maths.md');
    const lines = doc.split('<!-- example: value-weighted -->\n')[1]!.split('\n\n')[0]!.split('\n').slice(2);
    const rows = Object.fromEntries(
      lines
        .map((line) =>
          line
            .split('|')
            .map((cell) => cell.trim())
            .slice(1, -1),
        )
        .map((c) => [c[0], c]),
    );
    const number = (cell: string) =>
      Number(
        cell
          .split('=')
          .at(-1)!
          .replace(/[£,\s]/g, ''),
      );
    const journey = config('GBP').journeys[0]!;
    const events = [pay(10, 'success'), pay(2500, 'failure'), pay(0.01, 'success')];
    const [money, count] = [0, 1].map((i) =>
      evaluateSlo({ journey, slo: journey.slos[i]!, series: seriesOf(journey, i, events), atMs: AT, timeZone: 'UTC' }),
    );
    for (const [status, column] of [
      [count!, 1],
      [money!, 2],
    ] as const) {
      expect(number(rows['good']![column]!)).toBe(status.good);
      expect(number(rows['total']![column]!)).toBe(status.total);
      expect(number(rows['SLI']![column]!)).toBeCloseTo(status.sli!, 6);
      expect(number(rows['allowed (0.1% of total)']![column]!)).toBeCloseTo(status.errorBudget.allowed, 9);
      expect(number(rows['consumed (bad)']![column]!)).toBe(status.errorBudget.consumed);
    }
  });

  it('docs/configuration.md: the example loads as the text says, and the problems it quotes are the ones reported', () => {
    const doc = read('docs/configuration.md');
    const example = doc.split('<!-- example: value-weighted -->')[1]?.match(/```yaml\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    const loaded = loadConfigFromString(`version: vigil/v1\n${example}`, 'vigil.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
    const [success, value] = loaded.config.journeys[0]!.slos;
    expect(success!.sli.weight).toBeUndefined();
    expect(value!.sli).toMatchObject({ weight: 'amount', currency: 'GBP' });
    expect(value!.alerting.minEvents).toBe(1000);
    const quoted = doc.split('<!-- example: value-weighted -->')[1]!.split('```\n')[2]!.trim().split('\n');
    const noCurrency = loadConfigFromString(
      yaml`
        version: vigil/v1
        journeys:
          - name: card-payment
            steps: [ { name: authorise } ]
            slos:
              - name: value
                sli: { kind: success, weight: amount }
      `,
      'vigil.yaml',
    );
    const timeslices = loadConfigFromString(
      yaml`
        version: vigil/v1
        journeys:
          - name: card-payment
            value: { currency: GBP }
            steps: [ { name: authorise } ]
            slos:
              - name: value
                budgeting: timeslices
                sli: { kind: success, weight: amount }
      `,
      'vigil.yaml',
    );
    const reported = [noCurrency, timeslices].flatMap((r) => (r.ok ? [] : r.errors.map(formatProblem)));
    expect(reported).toEqual(quoted);
  });
});
