/**
 * The DORA rules of docs/dora.md ("The criteria", "The decision", "Recurring incidents", "Reporting clocks"), against
 * hand-computed cases: each threshold at, just under and just over its value, the two-of-six rule and the
 * critical-service condition, and the clocks across day boundaries in a zone.
 */
import { describe, expect, it } from 'vitest';
import { money } from '../model/money.js';
import { DEFAULT_DORA_THRESHOLDS, type DoraThresholds, type RegulatoryFlag } from '../model/regulation.js';
import {
  addMonthIn,
  causeKey,
  classifyDora,
  type CriterionKey,
  type DoraInput,
  doraLine,
  dueText,
  type JourneyMeasurement,
  reportingClocks,
  withRecurring,
} from './dora.js';

const T = DEFAULT_DORA_THRESHOLDS;
const WINDOW = { from: Date.parse('2026-12-03T08:00:00Z'), to: Date.parse('2026-12-03T09:00:00Z') };
const REFERENCE = { from: WINDOW.from - 30 * 86_400_000, to: WINDOW.from };

/** A critical journey with 1,000 customers, 2,000 transactions and €500,000 a day, and an incident that hurt no one. */
function journey(over: Partial<JourneyMeasurement> = {}): JourneyMeasurement {
  return {
    journey: 'sepa-instant',
    critical: true,
    referenceDays: 30,
    customersPerDay: 1000,
    transactionsPerDay: 2000,
    amountPerDay: [money(500_000, 'EUR')],
    customersFailed: 0,
    transactionsFailed: 0,
    amountFailed: [],
    downtimeMinutes: 0,
    countries: [],
    complaintSpike: null,
    ...over,
  };
}

function input(over: Partial<DoraInput> = {}, j: Partial<JourneyMeasurement> = {}): DoraInput {
  return { window: WINDOW, reference: REFERENCE, journeys: [journey(j)], durationMinutes: 60, valueLost: [], flags: {}, ...over };
}

const flag = (name: RegulatoryFlag['name'], value: RegulatoryFlag['value']): RegulatoryFlag => ({
  name,
  value,
  setBy: 'alice',
  setAt: Date.parse('2026-12-03T10:00:00Z'),
  note: null,
});

const status = (i: DoraInput, key: CriterionKey, t: DoraThresholds = T) => classifyDora(i, t).criteria.find((c) => c.key === key)!.status;

describe('each criterion at, just under and just over its threshold (strictly over meets it)', () => {
  it.each([
    // Art. 9(1): 10% of 1,000 customers a day is 100.
    ['customers share', input({}, { customersFailed: 99 }), input({}, { customersFailed: 100 }), input({}, { customersFailed: 101 })],
    // Art. 9(1): more than 100,000 customers, even against a reference that makes the share small.
    [
      'customers absolute',
      input({}, { customersPerDay: 10_000_000, customersFailed: 99_999 }),
      input({}, { customersPerDay: 10_000_000, customersFailed: 100_000 }),
      input({}, { customersPerDay: 10_000_000, customersFailed: 100_001 }),
    ],
    // Art. 9(1): 10% of 2,000 transactions a day is 200.
    [
      'transactions share',
      input({}, { transactionsFailed: 199 }),
      input({}, { transactionsFailed: 200 }),
      input({}, { transactionsFailed: 201 }),
    ],
    // Art. 9(1): 10% of €500,000 a day is €50,000.
    [
      'amount share',
      input({}, { amountFailed: [money(49_999.99, 'EUR')] }),
      input({}, { amountFailed: [money(50_000, 'EUR')] }),
      input({}, { amountFailed: [money(50_000.01, 'EUR')] }),
    ],
  ])('clients and transactions: %s', (_, under, at, overIt) => {
    expect([
      status(under, 'clientsAndTransactions'),
      status(at, 'clientsAndTransactions'),
      status(overIt, 'clientsAndTransactions'),
    ]).toEqual(['not_met', 'not_met', 'met']);
  });

  it('duration (24 h) and downtime (2 h)', () => {
    const d = (minutes: number) => status(input({ durationMinutes: minutes }), 'durationAndDowntime');
    expect([d(1439), d(1440), d(1441)]).toEqual(['not_met', 'not_met', 'met']);
    const down = (minutes: number) => status(input({}, { downtimeMinutes: minutes }), 'durationAndDowntime');
    expect([down(119), down(120), down(121)]).toEqual(['not_met', 'not_met', 'met']);
  });

  it('economic impact (€100,000): value lost plus the other costs a person adds', () => {
    const costs = (lost: number, other: number | null) =>
      status(
        input({ valueLost: [money(lost, 'EUR')], flags: other === null ? {} : { otherCosts: flag('otherCosts', money(other, 'EUR')) } }),
        'economic',
      );
    expect([costs(60_000, 39_999.99), costs(60_000, 40_000), costs(60_000, 40_000.01)]).toEqual(['not_met', 'not_met', 'met']);
    // Measured alone over the threshold is enough; under it, without other costs, a person must add them.
    expect([costs(100_000.01, null), costs(99_999.99, null)]).toEqual(['met', 'needs_person']);
    // Value lost in another currency is never added to euros: a person converts it.
    expect(
      status(
        input({ valueLost: [money(90_000, 'EUR'), money(50_000, 'GBP')], flags: { otherCosts: flag('otherCosts', money(0, 'EUR')) } }),
        'economic',
      ),
    ).toBe('needs_person');
  });

  it('geographical spread: two countries, or a person; none carried: a person must say', () => {
    expect([
      status(input({}, { countries: [] }), 'geographical'),
      status(input({}, { countries: ['DE'] }), 'geographical'),
      status(input({}, { countries: ['DE', 'FR'] }), 'geographical'),
      status(input({ flags: { geographical: flag('geographical', true) } }), 'geographical'),
      status(input({ flags: { geographical: flag('geographical', false) } }), 'geographical'),
    ]).toEqual(['needs_person', 'not_met', 'met', 'met', 'not_met']);
  });

  it('reputational impact: a complaint spike, or a person', () => {
    const spike = { hourFrom: WINDOW.from, count: 42, baseline: 3 };
    expect([
      status(input(), 'reputational'),
      status(input({}, { complaintSpike: spike }), 'reputational'),
      status(input({ flags: { reputational: flag('reputational', true) } }), 'reputational'),
    ]).toEqual(['not_met', 'met', 'met']);
  });

  it('data losses: only a person says', () => {
    expect([
      status(input(), 'dataLosses'),
      status(input({ flags: { dataLoss: flag('dataLoss', true) } }), 'dataLosses'),
      status(input({ flags: { dataLoss: flag('dataLoss', false) } }), 'dataLosses'),
    ]).toEqual(['needs_person', 'met', 'not_met']);
  });

  it('configured thresholds move the line', () => {
    const t: DoraThresholds = { ...T, clientsShare: 0.2, downtimeMinutes: 30 };
    expect(status(input({}, { customersFailed: 150 }), 'clientsAndTransactions', t)).toBe('not_met');
    expect(status(input({}, { customersFailed: 201 }), 'clientsAndTransactions', t)).toBe('met');
    expect(status(input({}, { downtimeMinutes: 31 }), 'durationAndDowntime', t)).toBe('met');
  });

  it('a share without a daily reference is for a person to judge', () => {
    expect(
      status(
        input({}, { customersPerDay: null, transactionsPerDay: null, customersFailed: 40, transactionsFailed: 50 }),
        'clientsAndTransactions',
      ),
    ).toBe('needs_person');
  });
});

describe('the decision (Art. 8(1))', () => {
  const twoMet = input({ durationMinutes: 1441 }, { customersFailed: 101 });

  it('two of the six thresholds and a critical service make it major, with the reason in words', () => {
    const { decision } = classifyDora(twoMet, T);
    expect(decision).toMatchObject({ major: true, basis: 'thresholds', thresholdsMet: ['clientsAndTransactions', 'durationAndDowntime'] });
    expect(decision.reason).toBe(
      'Major: sepa-instant is a critical service, and 2 of 6 thresholds are met: clients and transactions ' +
        '(101 customers failed on sepa-instant, 10.1% of 1,000 a day); duration and service downtime ' +
        '(lasted 24 h 01 min, longer than 24 h 00 min; downtime 0 min). Needs a person: geographical spread, data losses and economic impact.',
    );
  });

  it('one threshold is not enough', () => {
    const { decision } = classifyDora(input({ durationMinutes: 1441 }), T);
    expect(decision.major).toBe(false);
    expect(decision.reason).toMatch(
      /^Not major: sepa-instant is a critical service, but 1 of 6 thresholds is met: duration and service downtime/,
    );
  });

  it('data losses alone are enough', () => {
    const { decision } = classifyDora(input({ flags: { dataLoss: flag('dataLoss', true) } }), T);
    expect(decision).toMatchObject({ major: true, thresholdsMet: ['dataLosses'] });
    expect(decision.reason).toContain('data losses are flagged');
  });

  it('without a critical service nothing is major, however many thresholds are met', () => {
    const six = input(
      {
        durationMinutes: 2000,
        valueLost: [money(200_000, 'EUR')],
        flags: { dataLoss: flag('dataLoss', true), reputational: flag('reputational', true) },
      },
      { critical: false, customersFailed: 500, countries: ['DE', 'FR'] },
    );
    const { decision } = classifyDora(six, T);
    expect(decision.thresholdsMet).toHaveLength(6);
    expect(decision).toMatchObject({ major: false, criticalService: false });
    expect(decision.reason).toBe('Not major: no critical service is affected (sepa-instant is not marked critical).');
  });

  it('changes as the incident grows', () => {
    const early = classifyDora(input({ durationMinutes: 30 }, { customersFailed: 50, downtimeMinutes: 20 }), T).decision;
    const later = classifyDora(input({ durationMinutes: 180 }, { customersFailed: 150, downtimeMinutes: 130 }), T).decision;
    expect([early.major, later.major]).toEqual([false, true]);
  });
});

describe('recurring incidents (Art. 8(2))', () => {
  const earlier = (id: string, customers: number, downtime: number) => ({
    id,
    openedAt: Date.parse(`2026-${id === 'inc-a' ? '07' : '10'}-01T10:00:00Z`),
    input: input({ durationMinutes: 40 }, { customersFailed: customers, downtimeMinutes: downtime }),
  });

  it('incidents not major alone that together meet two thresholds are major, basis recurring', () => {
    const current = input({ durationMinutes: 50 }, { customersFailed: 40, downtimeMinutes: 50 });
    const own = classifyDora(current, T);
    expect(own.decision.major).toBe(false);
    const { assessment, recurring } = withRecurring(
      own,
      current,
      'sepa-instant/sepa-gateway',
      [earlier('inc-b', 40, 40), earlier('inc-a', 30, 40)],
      T,
    );
    // 40 + 40 + 30 = 110 customers > 100; downtime 50 + 40 + 40 = 130 min > 120.
    expect(assessment.decision).toMatchObject({
      major: true,
      basis: 'recurring',
      thresholdsMet: ['clientsAndTransactions', 'durationAndDowntime'],
    });
    expect(recurring!.incidents.map((i) => i.id)).toEqual(['inc-a', 'inc-b']);
    expect(
      assessment.decision.reason.startsWith(
        'Major (recurring, Art. 8(2)): not major on its own, but with 2 earlier incidents of the same cause (sepa-instant/sepa-gateway: inc-a and inc-b) ' +
          'together: ',
      ),
    ).toBe(true);
  });

  it('together just under the thresholds stays not major', () => {
    const current = input({ durationMinutes: 50 }, { customersFailed: 30, downtimeMinutes: 40 });
    const { assessment, recurring } = withRecurring(classifyDora(current, T), current, 'x', [earlier('inc-a', 70, 80)], T);
    // 100 customers (not over 100) and 120 minutes (not over 120).
    expect(assessment.decision.major).toBe(false);
    expect(recurring!.together.decision.thresholdsMet).toEqual([]);
  });

  it('the cause key: a person flag, else journey and first service', () => {
    expect(causeKey({ journeys: ['sepa-instant'], services: ['sepa-gateway', 'ledger'] }, null)).toBe('sepa-instant/sepa-gateway');
    expect(causeKey({ journeys: ['sepa-instant'], services: [] }, null)).toBe('sepa-instant');
    expect(causeKey({ journeys: ['sepa-instant'], services: ['x'] }, flag('cause', 'ledger-disk-full'))).toBe('ledger-disk-full');
  });
});

describe('reporting clocks', () => {
  const at = (text: string) => Date.parse(text);

  it('initial 4 h after classification, intermediate 72 h after it, final one month later; in Europe/Berlin across midnight', () => {
    // Detected 19:10 UTC, classified 21:32 UTC (22:32 in Berlin): due 01:32 UTC, 02:32 Berlin on the next day.
    const clocks = reportingClocks(at('2026-12-03T19:10:00Z'), at('2026-12-03T21:32:00Z'), {}, 'Europe/Berlin', at('2026-12-03T21:40:00Z'));
    expect(clocks.map((c) => [c.report, new Date(c.dueAt).toISOString(), c.state])).toEqual([
      ['initial', '2026-12-04T01:32:00.000Z', 'due'],
      ['intermediate', '2026-12-07T01:32:00.000Z', 'due'],
      ['final', '2027-01-07T01:32:00.000Z', 'due'],
    ]);
    expect(dueText(clocks[0]!.dueAt, 'Europe/Berlin', at('2026-12-03T21:40:00Z'))).toBe('02:32 on 4 Dec');
    expect(dueText(clocks[2]!.dueAt, 'Europe/Berlin', at('2026-12-03T21:40:00Z'))).toBe('02:32 on 7 Jan 2027');
    expect(doraLine(clocks, 'Europe/Berlin', at('2026-12-03T21:40:00Z'))).toBe('DORA: major — initial notification due by 02:32 on 4 Dec');
    // The same instant read in UTC is on the classification's day.
    expect(doraLine(clocks, 'UTC', at('2026-12-03T21:40:00Z'))).toBe('DORA: major — initial notification due by 01:32 on 4 Dec');
    expect(doraLine(clocks, 'UTC', at('2026-12-04T00:10:00Z'))).toBe('DORA: major — initial notification due by 01:32');
  });

  it('no later than 24 h after detection, when classification comes late', () => {
    const [initial] = reportingClocks(at('2026-12-03T10:00:00Z'), at('2026-12-04T08:00:00Z'), {}, 'UTC', at('2026-12-04T08:00:00Z'));
    expect(new Date(initial!.dueAt).toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(initial!.rule).toMatch(/^24 h after detection/);
  });

  it('submissions move the next clocks; overdue and late are said so', () => {
    const clocks = reportingClocks(
      at('2026-12-03T10:00:00Z'),
      at('2026-12-03T11:00:00Z'),
      { initial: at('2026-12-03T16:00:00Z') },
      'UTC',
      at('2026-12-07T12:00:00Z'),
    );
    expect(clocks.map((c) => [c.report, new Date(c.dueAt).toISOString(), c.state])).toEqual([
      ['initial', '2026-12-03T15:00:00.000Z', 'submitted_late'],
      ['intermediate', '2026-12-06T16:00:00.000Z', 'overdue'],
      ['final', '2027-01-06T16:00:00.000Z', 'due'],
    ]);
    expect(doraLine(clocks, 'UTC', at('2026-12-07T12:00:00Z'))).toBe('DORA: major — intermediate report overdue since 16:00 on 6 Dec');
  });

  it('one month is calendar months in the zone, across a DST change and month ends', () => {
    // 30 March 2026 09:00 in London (BST, 08:00 UTC) → 30 April 09:00 BST.
    expect(new Date(addMonthIn(at('2026-03-30T08:00:00Z'), 'Europe/London')).toISOString()).toBe('2026-04-30T08:00:00.000Z');
    // 1 March 2026 00:30 in Berlin (23:30 UTC on 28 Feb) → 1 April 00:30 CEST (22:30 UTC on 31 March).
    expect(new Date(addMonthIn(at('2026-02-28T23:30:00Z'), 'Europe/Berlin')).toISOString()).toBe('2026-03-31T22:30:00.000Z');
    expect(new Date(addMonthIn(at('2026-01-31T10:00:00Z'), 'UTC')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
  });
});
