/**
 * The demo's retention story, recovered through the real retention read model from the events the demo stores
 * (docs/retention.md ("In the demo")): the partner-card declines of month N, and the customers they drove away by N+1.
 * The store holds every card payment of N (what the exposure counts read) and each customer's first event of N+1, any
 * journey (all a retention probe looks for), exactly as the demo's generator makes them; a counterfactual run without the
 * departures shows that the gap is the plant, not the heavier use of the customers who meet failures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { retention } from '../app/read-models/retention.js';
import type { RetentionResponse } from '../api/retention.js';
import type { VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { openStore } from '../store/open.js';
import { loadBankConfig } from './bank.js';
import { demoIncidents, FULL_HISTORY_DAYS } from './incidents.js';
import { LEAVE_PER_FAILED_ATTEMPT, PARTNER_CARDS, PARTNER_DECLINE, type RetentionStory, retentionStory } from './retention-story.js';
import { inSegment, type ScriptedIncident } from './scenario.js';
import { buildTrafficModel, failedAttemptsByCustomer, generateTraffic } from './traffic.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SEED = 7;

let config: VigilConfig;
beforeAll(async () => {
  config = await loadBankConfig();
});

interface Recovered {
  story: RetentionStory;
  incidents: ScriptedIncident[];
  answer: RetentionResponse;
  month: RetentionResponse['periods'][number];
  departed: ReadonlySet<number>;
  /** Customers of N+1 (first events) with the departures played, and without them (the counterfactual). */
  activeNext: ReadonlySet<string>;
  activeNextWithout: ReadonlySet<string>;
  cardCustomers: Map<string, number>;
}

/**
 * What the demo started at `now` stores, read back: card payments from the first of N (card-only before the 28 days, then
 * with every journey), every journey of N+1 from where the 28 days start.
 */
async function recover(now: number): Promise<Recovered> {
  const story = retentionStory(now, config.defaults.timezone);
  const incidents = demoIncidents(config, { anchorMs: now, startedAtMs: now, days: FULL_HISTORY_DAYS, seed: SEED });
  const historyFrom = Math.floor((now - FULL_HISTORY_DAYS * DAY) / MINUTE) * MINUTE;
  const nextTo = Math.min(Math.floor(now / MINUTE) * MINUTE, story.next.endMs);
  const store = await openStore(':memory:');
  const card: JourneyEvent[] = [];
  const cardCustomers = new Map<string, number>();
  for (const batch of generateTraffic({
    config,
    fromMs: story.month.startMs,
    toMs: story.month.endMs,
    seed: SEED,
    incidents,
    journeys: ['card-payment'],
  })) {
    for (const e of batch) {
      card.push(e);
      if (e.outcome === 'failure') cardCustomers.set(e.customerId!, (cardCustomers.get(e.customerId!) ?? 0) + 1);
      else if (!cardCustomers.has(e.customerId!)) cardCustomers.set(e.customerId!, 0);
    }
  }
  const firstOfNext = (withDepartures: boolean): Map<string, JourneyEvent> => {
    const first = new Map<string, JourneyEvent>();
    const played = withDepartures ? incidents : incidents.map(({ departures: _, ...i }) => i);
    const ranges = [
      // Before the 28 days the demo stores card payments only.
      { fromMs: story.next.startMs, toMs: Math.min(historyFrom, nextTo), journeys: ['card-payment'] },
      { fromMs: Math.max(story.next.startMs, historyFrom), toMs: nextTo },
    ];
    for (const range of ranges) {
      if (range.fromMs >= range.toMs) continue;
      for (const batch of generateTraffic({ config, seed: SEED, incidents: played, ...range }))
        for (const e of batch) if (!first.has(e.customerId!)) first.set(e.customerId!, e);
    }
    return first;
  };
  const next = firstOfNext(true);
  const without = firstOfNext(false);
  const events = [...card, ...next.values()];
  for (let i = 0; i < events.length; i += 5_000) await store.events.appendEvents(events.slice(i, i + 5_000), [], now);
  const answer = await retention(config, store.events, { journey: 'card-payment', period: 'month' }, now);
  await store.close();
  const departed = buildTrafficModel(config, { seed: SEED, incidents }).departures[0]!.customers;
  const month = answer.periods.find((p) => p.period === story.month.label)!;
  return {
    story,
    incidents,
    answer,
    month,
    departed,
    activeNext: new Set(next.keys()),
    activeNextWithout: new Set(without.keys()),
    cardCustomers,
  };
}

const rate = (month: Recovered['month'], bucket: string) => month.byFailures.find((b) => b.failures === bucket)!;

describe('the retention story on 26 November 2026: October’s partner-card declines, November’s departures so far', () => {
  const NOW = Date.UTC(2026, 10, 26, 10, 17);
  let r: Recovered;
  beforeAll(async () => {
    r = await recover(NOW);
  }, 240_000);

  it('places the declines on 3–8 October (London), the partner’s 8% of customers only, with no technical alert', () => {
    expect(r.story.month.label).toBe('2026-10');
    expect(new Date(r.story.episode.startMs).toISOString()).toBe('2026-10-03T07:00:00.000Z'); // 08:00 BST
    expect(new Date(r.story.episode.endMs).toISOString()).toBe('2026-10-08T07:00:00.000Z');
    expect(new Date(r.story.episode.departures!.fromMs).toISOString()).toBe('2026-11-01T00:00:00.000Z'); // GMT again
    expect(r.story.episode).toMatchObject({ silent: true, services: [], severity: PARTNER_DECLINE, segment: PARTNER_CARDS });
    // Before the 28 days of the other stories: their figures cannot see it.
    expect(r.story.episode.endMs).toBeLessThan(NOW - FULL_HISTORY_DAYS * DAY);
    let members = 0;
    for (let c = 1; c <= 50_000; c++) if (inSegment(PARTNER_CARDS, SEED, c)) members++;
    expect(members / 50_000).toBeGreaterThan(0.075);
    expect(members / 50_000).toBeLessThan(0.085);
  });

  it('drives away only partner cardholders who met declines, the more declines the likelier, and never shows them again', () => {
    const model = buildTrafficModel(config, {
      seed: SEED,
      incidents: r.incidents.map(({ departures: _, ...i }) => i),
      journeys: ['card-payment'],
    });
    const failed = failedAttemptsByCustomer(model, r.story.episode);
    expect(r.departed.size).toBeGreaterThan(50);
    for (const c of r.departed) {
      expect(inSegment(PARTNER_CARDS, SEED, c)).toBe(true);
      expect(failed.get(c)).toBeGreaterThan(0);
      expect(r.activeNext.has(`c-${c}`)).toBe(false);
      expect(r.cardCustomers.get(`c-${c}`)).toBeGreaterThan(0);
    }
    // Share that left by failed attempts met: close to 1 − (1 − 0.2)^k (0.20 after one, 0.36 after two).
    const members = [...failed].filter(([c]) => inSegment(PARTNER_CARDS, SEED, c));
    const leftAfter = (pick: (k: number) => boolean) => {
      const group = members.filter(([, k]) => pick(k));
      return group.filter(([c]) => r.departed.has(c)).length / group.length;
    };
    expect(Math.abs(leftAfter((k) => k === 1) - LEAVE_PER_FAILED_ATTEMPT)).toBeLessThan(0.07);
    expect(leftAfter((k) => k >= 2)).toBeGreaterThan(leftAfter((k) => k === 1));
    // Volumes stay put: the departed customers' attempts went to others.
    expect(r.activeNext.size).toBeGreaterThan(0.97 * r.activeNextWithout.size);
  });

  it('shows October’s exposed customers far less active in November so far (p < 0.001), with a dose-response', () => {
    const oct = r.month;
    expect(oct.complete).toBe(false);
    expect(oct.partialHistory).toBe(false);
    // Exposed: the partner cardholders who met declines, and the few who met an ordinary failure.
    expect(oct.exposed.customers).toBeGreaterThan(250);
    expect(oct.exposed.customers).toBeLessThan(450);
    // The departed are exposed and never back: the exposed rate cannot exceed what they leave.
    expect(oct.exposed.retained).toBeLessThanOrEqual(oct.exposed.customers - r.departed.size);
    expect(oct.unexposed.customers).toBeGreaterThan(20_000);
    expect(oct.unexposed.rate!).toBeGreaterThan(0.88);
    expect(oct.unexposed.rate!).toBeLessThan(0.94);
    expect(oct.difference!).toBeLessThan(-0.15);
    expect(oct.pValue!).toBeLessThan(0.001);
    // Each failed attempt leaves two failure events (the authorise step's and the whole journey's): none has exactly one.
    expect(rate(oct, '1').customers).toBe(0);
    expect(rate(oct, '2-3').rate!).toBeLessThan(rate(oct, '0').rate! - 0.08);
    expect(rate(oct, '4+').rate!).toBeLessThan(rate(oct, '2-3').rate! - 0.08);
    expect(r.answer.reading).toMatch(
      /^Customers who met a card-payment failure in October 2026 were \d+\.\d points less likely to be active in November 2026 so far \(p < 0\.001\)\.$/,
    );
  });

  it('is the departures, not the exposed customers’ heavier use: without them the exposed come back at least as often', () => {
    const exposed = [...r.cardCustomers].filter(([, failures]) => failures > 0).map(([c]) => c);
    const unexposed = [...r.cardCustomers].filter(([, failures]) => failures === 0).map(([c]) => c);
    const share = (group: string[], active: ReadonlySet<string>) => group.filter((c) => active.has(c)).length / group.length;
    expect(share(exposed, r.activeNextWithout)).toBeGreaterThan(share(unexposed, r.activeNextWithout) - 0.02);
    expect(share(exposed, r.activeNext)).toBeCloseTo(r.month.exposed.rate!, 10);
  });
});

describe('the retention story early in a month: about the month before last, whose next month is complete', () => {
  // 4 December: too little of December to read, so N is October and November is complete.
  const NOW = Date.UTC(2026, 11, 4, 9, 0);
  let r: Recovered;
  beforeAll(async () => {
    r = await recover(NOW);
  }, 240_000);

  it('reads October against the whole of November, without "so far"', () => {
    expect(r.story.month.label).toBe('2026-10');
    expect(r.month.complete).toBe(true);
    expect(r.month.difference!).toBeLessThan(-0.1);
    expect(r.month.pValue!).toBeLessThan(0.001);
    expect(rate(r.month, '4+').rate!).toBeLessThan(rate(r.month, '2-3').rate!);
    expect(r.answer.reading).toMatch(
      /^Customers who met a card-payment failure in October 2026 were \d+\.\d points less likely to be active in November 2026 \(p < 0\.001\)\.$/,
    );
  });
});
