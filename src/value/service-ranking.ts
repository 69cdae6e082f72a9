/**
 * Where to invest (docs/value.md ("Where to invest")): services ranked by the customer harm behind them — the failed
 * attempts at the steps that depend on them, their value (direct method), the error budget they spent and the
 * incidents they were part of — over per-minute aggregates, never raw events. Pure.
 */
import { type Money, sumByCurrency } from '../model/money.js';
import { type UnitValue, worth } from './unit-value.js';

/** A step of a journey and the services it depends on. */
export interface RankingStep {
  name: string;
  services: readonly string[];
}

/** An SLO of a journey: its bad events (or bad slices) per minute of the period and the budget its window allows. */
export interface RankingSlo {
  name: string;
  /** The step the SLI measures; null: the whole journey. */
  step: string | null;
  /** Minute → bad events (or 1 for a bad slice of a timeslice SLO); minutes with none may be left out. */
  bad: ReadonlyMap<number, number>;
  /** (1 − objective) × the total of the SLO window ending at the period's end; 0: nothing allowed. */
  allowed: number;
}

export interface RankingJourney {
  name: string;
  tier: string;
  steps: readonly RankingStep[];
  slos: readonly RankingSlo[];
  /** Step name → minute → failed events at the step; minutes with none may be left out. */
  failures: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The value of one attempt (null: the journey has no value, or none can be found). */
  unit: UnitValue | null;
}

/** An incident of the period, as the ranking reads it. */
export interface RankingIncident {
  id: string;
  /** Minutes [fromMinute, toMinute) the incident covers: from its opening to its resolution (or the period's end). */
  fromMinute: number;
  toMinute: number;
  stages: ReadonlyArray<{ journey: string; step: string | null }>;
  /** The services its alerts named. */
  services: readonly string[];
}

export interface RankingInput {
  journeys: readonly RankingJourney[];
  /** Tier names, highest first (the configured tiers by objective). */
  tierOrder: readonly string[];
  /** The service catalogue: a service's own tier wins over the tiers of its journeys. */
  catalogue: ReadonlyArray<{ name: string; tier?: string }>;
  incidents: readonly RankingIncident[];
  /** Technical alerts received in the period, by service. */
  alerts: ReadonlyMap<string, number>;
}

export interface SloSpent {
  journey: string;
  slo: string;
  /** Bad events (or slices) attributed to the service. */
  bad: number;
  /** bad ÷ allowed (1 = the whole budget); null when the window allows nothing. */
  spent: number | null;
}

export interface ServiceHarm {
  service: string;
  tier: string | null;
  failedAttempts: number;
  /** One amount per currency, largest first; never summed across currencies. */
  valueLost: Money[];
  slos: SloSpent[];
  /** Incidents of the period whose alerts named the service, in the order given. */
  incidents: string[];
  alerts: number;
  /** The stages where failures were pinned to the service by an incident, as `journey/step`. */
  pinnedAt: string[];
}

export interface Ranking {
  /** Currencies in the order services are compared by: most failed attempts valued in them first, then by code. */
  currencies: string[];
  services: ServiceHarm[];
}

/**
 * The services a failure at `step` of `journey` in `minute` is attributed to: the services pinned by the incidents covering
 * that minute and stage whose alerts name exactly one of the step's services; when none pins one, every service of the step.
 * @example attribution('pay', { name: 'send', services: ['a', 'b'] }, 10, []) // ['a', 'b']
 */
export function attribution(journey: string, step: RankingStep, minute: number, incidents: readonly RankingIncident[]): string[] {
  const all = [...new Set(step.services)];
  const pinned = new Set<string>();
  for (const incident of incidents) {
    if (minute < incident.fromMinute || minute >= incident.toMinute) continue;
    if (!incident.stages.some((s) => s.journey === journey && s.step === step.name)) continue;
    const named = all.filter((s) => incident.services.includes(s));
    if (named.length === 1) pinned.add(named[0]!);
  }
  return pinned.size > 0 ? all.filter((s) => pinned.has(s)) : all;
}

interface Tally {
  failures: number;
  /** Journey → failed attempts attributed there (for the value). */
  byJourney: Map<string, number>;
  slos: Map<string, SloSpent>;
  pinnedAt: Set<string>;
}

/**
 * The ranking (docs/value.md ("Where to invest")): by tier (highest first, services without one last), then value lost
 * compared currency by currency in `currencies` order, then failed attempts, then name.
 * @example rankServices({ journeys: [], tierOrder: [], catalogue: [{ name: 'a' }], incidents: [], alerts: new Map() }).services[0]?.service // 'a'
 */
export function rankServices(input: RankingInput): Ranking {
  const tallies = new Map<string, Tally>();
  const tally = (service: string): Tally => {
    let t = tallies.get(service);
    if (!t) {
      t = { failures: 0, byJourney: new Map(), slos: new Map(), pinnedAt: new Set() };
      tallies.set(service, t);
    }
    return t;
  };
  const journeyTiers = new Map<string, string[]>();
  for (const s of input.catalogue) tally(s.name);
  for (const service of input.alerts.keys()) tally(service);

  for (const journey of input.journeys) {
    for (const step of journey.steps) for (const s of step.services) journeyTiers.set(s, [...(journeyTiers.get(s) ?? []), journey.tier]);
    const served = [...new Set(journey.steps.flatMap((s) => s.services))];
    for (const service of served) {
      for (const slo of journey.slos) {
        const relevant = slo.step === null || journey.steps.find((s) => s.name === slo.step)?.services.includes(service);
        if (relevant) tally(service).slos.set(`${journey.name}/${slo.name}`, { journey: journey.name, slo: slo.name, bad: 0, spent: 0 });
      }
    }
    // Minute → service → failures attributed to it at any step (shares for the whole-journey SLOs).
    const perMinute = new Map<number, Map<string, number>>();
    for (const step of journey.steps) {
      const all = [...new Set(step.services)];
      for (const [minute, count] of journey.failures.get(step.name) ?? []) {
        if (count <= 0) continue;
        const to = attribution(journey.name, step, minute, input.incidents);
        const shares = perMinute.get(minute) ?? new Map<string, number>();
        perMinute.set(minute, shares);
        for (const service of to) {
          const t = tally(service);
          t.failures += count / to.length;
          t.byJourney.set(journey.name, (t.byJourney.get(journey.name) ?? 0) + count / to.length);
          shares.set(service, (shares.get(service) ?? 0) + count / to.length);
          if (to.length < all.length) t.pinnedAt.add(`${journey.name}/${step.name}`);
        }
      }
    }
    for (const slo of journey.slos) {
      const step = slo.step === null ? null : journey.steps.find((s) => s.name === slo.step);
      for (const [minute, bad] of slo.bad) {
        if (bad <= 0) continue;
        let shares: Array<[string, number]>;
        if (step) {
          const to = attribution(journey.name, step, minute, input.incidents);
          shares = to.map((s) => [s, 1 / to.length]);
        } else if (slo.step === null) {
          // A whole-journey SLO: its bad events go to services as the minute's step failures went; none: unattributed.
          const failed = perMinute.get(minute);
          const sum = failed ? [...failed.values()].reduce((a, b) => a + b, 0) : 0;
          shares = failed && sum > 0 ? [...failed].map(([s, n]) => [s, n / sum]) : [];
        } else shares = [];
        for (const [service, share] of shares) {
          const entry = tally(service).slos.get(`${journey.name}/${slo.name}`);
          if (entry) entry.bad += bad * share;
        }
      }
      for (const t of tallies.values()) {
        const entry = t.slos.get(`${journey.name}/${slo.name}`);
        if (entry) entry.spent = slo.allowed > 0 ? entry.bad / slo.allowed : null;
      }
    }
  }

  const units = new Map(input.journeys.map((j) => [j.name, j.unit]));
  const currencyAttempts = new Map<string, number>();
  const tierRank = (tier: string | null) => (tier === null ? input.tierOrder.length + 1 : tierIndex(input.tierOrder, tier));
  const services: ServiceHarm[] = [...tallies].map(([service, t]) => {
    const lost: Money[] = [];
    for (const [journey, count] of t.byJourney) {
      const unit = units.get(journey);
      if (!unit) continue;
      lost.push(...worth(count, unit));
      for (const share of unit) currencyAttempts.set(share.currency, (currencyAttempts.get(share.currency) ?? 0) + count);
    }
    const own = input.catalogue.find((s) => s.name === service)?.tier;
    const fromJourneys = [...(journeyTiers.get(service) ?? [])].sort(
      (a, b) => tierIndex(input.tierOrder, a) - tierIndex(input.tierOrder, b),
    );
    return {
      service,
      tier: own ?? fromJourneys[0] ?? null,
      failedAttempts: t.failures,
      valueLost: sumByCurrency(lost),
      slos: [...t.slos.values()],
      incidents: input.incidents.filter((i) => i.services.includes(service)).map((i) => i.id),
      alerts: input.alerts.get(service) ?? 0,
      pinnedAt: [...t.pinnedAt].sort(),
    };
  });
  const currencies = [...currencyAttempts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
  services.sort((a, b) => {
    const byTier = tierRank(a.tier) - tierRank(b.tier);
    if (byTier !== 0) return byTier;
    for (const currency of currencies) {
      const diff = amount(b.valueLost, currency) - amount(a.valueLost, currency);
      if (diff !== 0) return diff;
    }
    return b.failedAttempts - a.failedAttempts || b.alerts - a.alerts || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0);
  });
  return { currencies, services };
}

/** The position of a tier in the order; an unknown tier after every known one. */
function tierIndex(order: readonly string[], tier: string): number {
  const i = order.indexOf(tier);
  return i === -1 ? order.length : i;
}

function amount(totals: readonly Money[], currency: string): number {
  return totals.find((m) => m.currency === currency)?.amount ?? 0;
}
