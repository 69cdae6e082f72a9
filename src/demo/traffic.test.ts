import { beforeAll, describe, expect, it } from 'vitest';
import { OUTCOMES, type VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { loadBankConfig } from './bank.js';
import { localTimeIn } from './calendar.js';
import { backfillIncidents } from './scenario.js';
import { buildTrafficModel, generateMinute, generateTraffic, minuteRng } from './traffic.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Thursday 26 November 2026, 10:17 UTC; the 25th was a payday. */
const NOW = Date.UTC(2026, 10, 26, 10, 17);

let config: VigilConfig;
beforeAll(async () => {
  config = await loadBankConfig();
});

const collect = (fromMs: number, toMs: number, seed = 7, incidents = backfillIncidents(NOW)): JourneyEvent[] =>
  [...generateTraffic({ config, fromMs, toMs, seed, incidents })].flat();

describe('generateTraffic: determinism and shape', () => {
  it('gives identical events for the same seed and different ones for another', () => {
    const from = NOW - 3 * HOUR;
    const a = collect(from, NOW);
    expect(a.length).toBeGreaterThan(1000);
    expect(collect(from, NOW)).toEqual(a);
    expect(collect(from, NOW, 8).map((e) => e.id)).not.toEqual(a.map((e) => e.id));
  });

  it('splits a range exactly as a longer run would: [a, b) then [b, c) is [a, c), ids and all', () => {
    const a = NOW - 4 * HOUR;
    const b = a + 90 * MINUTE + 17_500;
    const c = NOW;
    const whole = collect(a, c);
    const pieces = [...collect(a, b), ...collect(b, c)];
    expect(pieces).toEqual(whole);
    // Some attempts straddle b: their early steps come from the first run, the rest from the second.
    const before = new Set(collect(a, b).map((e) => e.attemptId));
    expect(collect(b, c).some((e) => before.has(e.attemptId))).toBe(true);
  });

  it('yields one sorted array per minute holding exactly the events of that minute', () => {
    const from = NOW - 2 * HOUR;
    const batches = [...generateTraffic({ config, fromMs: from, toMs: NOW, seed: 7, incidents: [] })];
    expect(batches).toHaveLength(120);
    batches.forEach((batch, i) => {
      const start = from + i * MINUTE;
      for (const event of batch) {
        expect(event.timestamp).toBeGreaterThanOrEqual(start);
        expect(event.timestamp).toBeLessThan(start + MINUTE);
      }
      expect(batch.map((e) => e.timestamp)).toEqual([...batch.map((e) => e.timestamp)].sort((x, y) => x - y));
    });
  });

  it('generateMinute is a pure function of the model, the minute and the stream', () => {
    const model = buildTrafficModel(config, { seed: 3 });
    const minute = Math.floor(NOW / MINUTE) * MINUTE;
    const events = generateMinute(model, minute, minuteRng(3, minute));
    expect(events.length).toBeGreaterThan(0);
    expect(generateMinute(model, minute, minuteRng(3, minute))).toEqual(events);
    expect(Math.min(...events.map((e) => e.timestamp))).toBeGreaterThanOrEqual(minute);
    expect(Math.max(...events.map((e) => e.timestamp))).toBeLessThan(minute + model.spillMinutes * MINUTE);
  });
});

describe('generateTraffic: every event is one the configuration accepts', () => {
  // Two days around the pdf-renderer incident and the start of the SEPA slow burn.
  const from = NOW - 6 * DAY;
  const to = NOW - 4 * DAY;
  let events: JourneyEvent[];
  beforeAll(() => {
    events = collect(from, to);
  });

  it('names configured journeys and steps, valid outcomes, latencies ≥ 0, timestamps in range, unique ids', () => {
    const journeys = new Map(config.journeys.map((j) => [j.name, j]));
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const event of events) {
      const journey = journeys.get(event.journey);
      if (!journey) problems.push(`unknown journey: ${event.id}`);
      else if (event.step !== undefined && !journey.steps.some((s) => s.name === event.step)) problems.push(`unknown step: ${event.id}`);
      if (!OUTCOMES.includes(event.outcome)) problems.push(`bad outcome: ${event.id}`);
      if (!Number.isInteger(event.latencyMs) || event.latencyMs! < 0) problems.push(`bad latency: ${event.id}`);
      if (!(event.timestamp >= from && event.timestamp < to)) problems.push(`out of range: ${event.id}`);
      if (!/^c-\d+$/.test(event.customerId ?? '')) problems.push(`bad customer: ${event.id}`);
      if (!event.attemptId) problems.push(`no attempt: ${event.id}`);
      ids.add(event.id ?? '');
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(ids.size).toBe(events.length);
    expect(events.length).toBeGreaterThan(50_000);
  });

  it('puts amount and the journey currency on payment events only', () => {
    const currency: Record<string, string | undefined> = { 'card-payment': 'GBP', 'sepa-instant': 'EUR' };
    const problems = events.filter((event) => {
      const expected = currency[event.journey];
      return expected ? event.currency !== expected || !(event.amount! > 0) : event.amount !== undefined || event.currency !== undefined;
    });
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('plays each attempt in order and ends it at the first step that does not succeed', () => {
    const byAttempt = new Map<string, JourneyEvent[]>();
    for (const event of events) {
      const list = byAttempt.get(event.attemptId!) ?? [];
      list.push(event);
      byAttempt.set(event.attemptId!, list);
    }
    const stepsOf = new Map(config.journeys.map((j) => [j.name, j.steps.map((s) => s.name)]));
    let checked = 0;
    const finalOutcomes = new Set<string>();
    const problems: string[] = [];
    const check = (ok: boolean, what: string, attempt: JourneyEvent[]) => {
      if (!ok) problems.push(`${attempt[0]!.attemptId}: ${what}`);
    };
    for (const attempt of byAttempt.values()) {
      const whole = attempt.filter((e) => e.step === undefined);
      if (whole.length === 0) continue; // cut by the end of the range
      if (!attempt[0]!.id!.endsWith('.0')) continue; // cut by the start of the range
      check(whole.length === 1, 'one whole-journey event', attempt);
      const final = whole[0]!;
      const steps = attempt.filter((e) => e.step !== undefined);
      const names = stepsOf.get(final.journey)!;
      check(
        steps.every((e, i) => e.step === names[i]),
        'steps in configured order, none skipped',
        attempt,
      );
      check(
        steps.slice(0, -1).every((e) => e.outcome === 'success'),
        'only the last step may fail',
        attempt,
      );
      check(steps.at(-1)!.outcome === final.outcome, 'final outcome is the last step’s', attempt);
      check(final.outcome !== 'success' || steps.length === names.length, 'success reaches every step', attempt);
      check(final.latencyMs === steps.reduce((sum, e) => sum + e.latencyMs!, 0), 'total latency is the sum', attempt);
      check(
        steps.every((e, i) => i === 0 || e.timestamp >= steps[i - 1]!.timestamp),
        'steps in time order',
        attempt,
      );
      check(final.timestamp >= steps.at(-1)!.timestamp, 'whole-journey event last', attempt);
      check(new Set(attempt.map((e) => e.customerId)).size === 1, 'one customer', attempt);
      finalOutcomes.add(final.outcome);
      checked += 1;
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(15_000);
    expect([...finalOutcomes].sort()).toEqual(['abandoned', 'failure', 'rejected', 'success']);
  });

  it('lets some customers retry after a failure, as the same customer shortly after', () => {
    const failed = new Map(events.filter((e) => e.step === undefined && e.outcome === 'failure').map((e) => [e.attemptId!, e]));
    const retries = events.filter((e) => e.step === undefined && e.attemptId!.endsWith('r'));
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      const original = failed.get(retry.attemptId!.slice(0, -1));
      if (!original) continue;
      expect(retry.customerId).toBe(original.customerId);
      expect(retry.timestamp).toBeGreaterThan(original.timestamp);
      expect(retry.timestamp - original.timestamp).toBeLessThan(5 * MINUTE);
    }
  });
});

describe('generateTraffic: volume and seasonality over 28 days', () => {
  const from = NOW - 28 * DAY;
  let total = 0;
  let eventsPerSecond = 0;
  const byLocalHour = new Map<number, number>(); // weekdays only
  const byDate = new Map<string, number>(); // 'journey|yyyy-mm-dd' → whole-journey events
  const customers = new Map<string, number>();

  beforeAll(() => {
    const local = localTimeIn('Europe/London');
    const started = performance.now();
    for (const batch of generateTraffic({ config, fromMs: from, toMs: NOW, seed: 7, incidents: [] })) {
      total += batch.length;
      for (const event of batch) {
        if (event.step !== undefined) continue;
        const t = local(event.timestamp);
        const key = `${event.journey}|${t.year}-${t.month}-${t.day}`;
        byDate.set(key, (byDate.get(key) ?? 0) + 1);
        if (t.weekday >= 1 && t.weekday <= 5)
          byLocalHour.set(Math.floor(t.minuteOfDay / 60), (byLocalHour.get(Math.floor(t.minuteOfDay / 60)) ?? 0) + 1);
        customers.set(event.customerId!, (customers.get(event.customerId!) ?? 0) + 1);
      }
    }
    eventsPerSecond = total / ((performance.now() - started) / 1000);
    process.stdout.write(
      `28-day backfill at scale 1: ${total} events, ${Math.round(eventsPerSecond)} events/s including this test's tallies\n`,
    );
  });

  // The generation rate is printed, not asserted: a test holds no wall-clock bound on a busy CI machine.
  it('is about 1.0–1.5 million events', () => {
    expect(total).toBeGreaterThan(1_000_000);
    expect(total).toBeLessThan(1_500_000);
  });

  it('is busier at weekday lunchtime and in the evening than at night', () => {
    const at = (hour: number) => byLocalHour.get(hour) ?? 0;
    expect(at(12)).toBeGreaterThan(10 * at(3));
    expect(at(19)).toBeGreaterThan(10 * at(3));
    expect(at(12)).toBeGreaterThan(at(15));
  });

  const day = (journey: string, date: string) => byDate.get(`${journey}|${date}`) ?? 0;
  const allJourneys = (date: string) =>
    ['login', 'view-balance', 'card-payment', 'sepa-instant', 'statements'].reduce((s, j) => s + day(j, date), 0);

  it('peaks on payday (Wednesday 25 November) against an ordinary Wednesday (18 November)', () => {
    expect(allJourneys('2026-11-25')).toBeGreaterThan(1.25 * allJourneys('2026-11-18'));
    expect(day('sepa-instant', '2026-11-25')).toBeGreaterThan(1.5 * day('sepa-instant', '2026-11-18'));
    // Friday 30 October, the last business day of October, is a payday too; compare with Friday 6 November.
    expect(day('view-balance', '2026-10-30')).toBeGreaterThan(1.25 * day('view-balance', '2026-11-06'));
  });

  it('has fewer transfers at the weekend and more card payments on Saturday', () => {
    expect(day('sepa-instant', '2026-11-21')).toBeLessThan(0.7 * day('sepa-instant', '2026-11-17'));
    expect(day('sepa-instant', '2026-11-22')).toBeLessThan(0.7 * day('sepa-instant', '2026-11-17'));
    expect(day('card-payment', '2026-11-21')).toBeGreaterThan(1.15 * day('card-payment', '2026-11-17'));
  });

  it('draws customers from a pool of about 50,000, with regulars', () => {
    expect(customers.size).toBeGreaterThan(40_000);
    expect(customers.size).toBeLessThanOrEqual(50_000);
    const counts = [...customers.values()].sort((a, b) => b - a);
    expect(counts[0]!).toBeGreaterThan(10 * counts[Math.floor(counts.length / 2)]!);
  });
});
