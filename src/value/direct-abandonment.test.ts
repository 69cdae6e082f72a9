/** The direct and abandonment methods, the range and the sentence, on hand-computed tables. */
import { describe, expect, it } from 'vitest';
import { abandonmentLoss, classifyRecoveries, type FailureEvent, RETRY_WINDOW_MS } from './abandonment.js';
import { directLoss } from './direct.js';
import { boardroomSentence, periodWords, valueRange } from './summary.js';
import { unitValue } from './unit-value.js';

const MIN = 60_000;

describe('direct', () => {
  it.each([
    // failures, value, sample, expected lost
    [6021, { currency: 'EUR', revenuePerSuccess: 0.9 }, [], [{ amount: 5418.9, currency: 'EUR' }]],
    [0, { currency: 'EUR', revenuePerSuccess: 0.9 }, [], []],
    // fee 1% of a mean failed amount of 200 (100 and 300): 2 per failure, 10 failures → 20.
    [10, { currency: 'GBP', feeRate: 0.01 }, [{ amount: 100 }, { amount: 300 }], [{ amount: 20, currency: 'GBP' }]],
    // One of two sampled failures paid in EUR: half the failures carry EUR amounts (4 × 50 × 0.02 = 4 EUR; 4 × 100 × 0.02 = 8 GBP).
    [
      4,
      { currency: 'GBP', feeRate: 0.02 },
      [{ amount: 100, currency: 'EUR' }, { amount: 200 }],
      [
        { amount: 8, currency: 'GBP' },
        { amount: 4, currency: 'EUR' },
      ],
    ],
    // JPY has no minor unit: 3 × 33.3 = 99.9 → 100.
    [3, { currency: 'JPY', revenuePerSuccess: 33.3 }, [], [{ amount: 100, currency: 'JPY' }]],
  ])('%i failures at %j → %j', (failures, value, sample, lost) => {
    expect(directLoss(failures, unitValue(value, sample)!)).toEqual({ failures, lost });
  });

  it('has no unit value without a value, or for a fee journey whose events carry no amount', () => {
    expect(unitValue(undefined, [])).toBeNull();
    expect(unitValue({ currency: 'EUR', feeRate: 0.01 }, [{}])).toBeNull();
  });
});

describe('abandonment', () => {
  const f = (minute: number, customerId?: string, amount?: number): FailureEvent => ({
    timestamp: minute * MIN,
    ...(customerId ? { customerId } : {}),
    ...(amount !== undefined ? { amount } : {}),
  });
  const s = (minute: number, customerId: string) => ({ timestamp: minute * MIN, customerId });

  it('classifies a hand-made table: recovered within (t, t + 30 min], same customer only', () => {
    const failures = [
      f(0, 'a'), // a succeeds at 10: recovered
      f(0, 'b'), // b succeeds at 31: too late, lost
      f(0, 'c'), // c succeeds at 30 exactly: recovered (the window is closed at its end)
      f(5, 'd'), // d succeeded at 5 (the same instant, not after): lost
      f(0), // no customer: never recovered
      f(0, 'e'), // only another customer succeeds: lost
      f(40, 'a'), // a's success at 10 is before: lost
    ];
    const successes = [s(10, 'a'), s(31, 'b'), s(30, 'c'), s(5, 'd'), s(1, 'z')];
    const r = classifyRecoveries(failures, successes);
    expect(r.recovered).toBe(2);
    expect(r.unrecovered).toBe(5);
    expect(r.lostFailures.map((x) => x.customerId ?? '-')).toEqual(['b', 'd', '-', 'e', 'a']);
  });

  it('leaves out failures whose window reaches past the successes read', () => {
    const r = classifyRecoveries([f(0, 'a'), f(20, 'b'), f(20)], [], RETRY_WINDOW_MS, 40 * MIN);
    // b's window ends at 50 > 40: not judged; the customer-less failure is lost whatever was read.
    expect(r).toMatchObject({ recovered: 0, unrecovered: 2 });
  });

  it('values the unrecovered failures, scaling a sample to every failure', () => {
    const unit = [{ currency: 'EUR', amount: 2 }];
    const all = classifyRecoveries([f(0, 'a'), f(0, 'b'), f(0, 'c')], [s(1, 'a')]);
    expect(abandonmentLoss(3, all, unit)).toEqual({
      lost: [{ amount: 4, currency: 'EUR' }],
      unrecovered: 2,
      recovered: 1,
      classified: 3,
      sampled: false,
    });
    // 1 of 4 sampled unrecovered, 10 failures: round(2.5) = 3 unrecovered (Math.round rounds half up).
    expect(abandonmentLoss(10, { recovered: 3, unrecovered: 1, lostFailures: [] }, unit)).toEqual({
      lost: [{ amount: 6, currency: 'EUR' }],
      unrecovered: 3,
      recovered: 7,
      classified: 4,
      sampled: true,
    });
    expect(abandonmentLoss(0, { recovered: 0, unrecovered: 0, lostFailures: [] }, unit)?.lost).toEqual([]);
    expect(abandonmentLoss(5, { recovered: 0, unrecovered: 0, lostFailures: [] }, unit)).toBeNull();
  });
});

describe('range and sentence', () => {
  const eur = (amount: number) => [{ amount, currency: 'EUR' }];
  const methods = {
    direct: eur(5418.9),
    abandonment: eur(3102.3),
    elasticity: { lost: eur(2_310_000), low: eur(1_950_000), high: eur(2_670_000) },
  };

  it('spans every computed method, elasticity by its interval', () => {
    expect(valueRange(methods)).toEqual([{ currency: 'EUR', low: 3102.3, high: 2_670_000 }]);
    expect(valueRange({ direct: eur(5), abandonment: null, elasticity: null })).toEqual([{ currency: 'EUR', low: 5, high: 5 }]);
    expect(valueRange({ direct: null, abandonment: null, elasticity: null })).toEqual([]);
  });

  it('names a calendar month, or the days', () => {
    expect(periodWords(Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1))).toBe('in November 2026');
    expect(periodWords(Date.UTC(2026, 9, 1), Date.UTC(2026, 9, 31, 12))).toBe('from 1 to 31 October 2026');
    expect(periodWords(Date.UTC(2026, 9, 20), Date.UTC(2026, 10, 4))).toBe('from 20 October to 3 November 2026');
    expect(periodWords(Date.UTC(2026, 11, 20), Date.UTC(2027, 0, 4))).toBe('from 20 December 2026 to 3 January 2027');
  });

  it('says the boardroom sentence', () => {
    const from = Date.UTC(2026, 10, 1);
    const to = Date.UTC(2026, 11, 1);
    const range = valueRange(methods);
    expect(boardroomSentence({ journey: 'Card payment', from, to, dropPoints: 0.5, failureShare: 0.005, methods, range })).toBe(
      'A 0.5-point drop in card payment success cost between €3.1k and €2.7M in November 2026 (direct €5.4k, abandonment €3.1k, elasticity €2M–€2.7M).',
    );
    const short = { direct: eur(5418.9), abandonment: eur(3102.3), elasticity: null };
    expect(
      boardroomSentence({
        journey: 'Card payment',
        from,
        to,
        dropPoints: null,
        failureShare: 0.005,
        methods: short,
        range: valueRange(short),
      }),
    ).toBe(
      'Card payment failures (0.50% of attempts) cost between €3.1k and €5.4k in November 2026 ' +
        '(direct €5.4k, abandonment €3.1k, elasticity: not enough history).',
    );
    const none = { direct: null, abandonment: null, elasticity: null };
    expect(boardroomSentence({ journey: 'Login', from, to, dropPoints: null, failureShare: null, methods: none, range: [] })).toBe(
      'No login attempts in November 2026: nothing to value.',
    );
  });
});
