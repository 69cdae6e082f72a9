/** The demo's scripted incidents: a history over the past 28 days, and a live schedule to watch alerts fire. */
import { isPayday } from './calendar.js';
import { doraStoryDay } from './dora-story.js';
import { correctionOccurrences } from '../engine/corrections.js';
import type { VigilConfig } from '../model/config.js';
import { mixSeed, mulberry32 } from './random.js';

/** `unseen`: customers meet something no step reports (a blank PDF delivered with success): the traffic is unchanged. */
export type IncidentShape = 'outage' | 'slow-burn' | 'latency' | 'step-failure' | 'unseen';

/** Some of the bank's customers, chosen by a hash of their number (e.g. the holders of one partner issuer's cards). */
export interface CustomerSegment {
  name: string;
  /** Share of the customer pool, 0–1. */
  share: number;
  /** Mixed into the hash, so that two segments of the same share are different customers. */
  salt: number;
}

/**
 * Whether customer number `customer` (c-1 … c-N) belongs to `segment` under `seed`: a fixed draw per customer.
 * @example inSegment({ name: 'partner cards', share: 0.08, salt: 0xca4d }, 7, 1234)
 */
export function inSegment(segment: CustomerSegment, seed: number, customer: number): boolean {
  return mixSeed(seed, customer, segment.salt) / 4294967296 < segment.share;
}

/**
 * Something going wrong, as the traffic simulator plays it. `severity` is the failure probability
 * added at the affected steps (outage, slow-burn, step-failure) or the latency multiplier (latency).
 * Affected steps: `step` in each listed journey when given; otherwise every step of those journeys
 * that depends on one of `services`. `services` are the ones to blame (they also raise technical alerts).
 */
export interface ScriptedIncident {
  id: string;
  title: string;
  shape: IncidentShape;
  journeys: string[];
  step?: string;
  services: string[];
  /** Epoch ms, inclusive. */
  startMs: number;
  /** Epoch ms, exclusive. */
  endMs: number;
  severity: number;
  /**
   * Customers who meet the failures come back less: the share of the journey's attempts lost per point of
   * success the incident takes away (0.04: 4% of the volume per point), applied while it lasts. Default 0.
   */
  volumeLossPerPoint?: number;
  /** Announced maintenance (a correction of vigil.yaml): customers fail, but no technical alert fires. */
  maintenance?: boolean;
  /** No technical alert fires: the fault lies where the bank's monitoring does not look (a partner's systems, a blank PDF). */
  silent?: boolean;
  /** Only the customers of this segment meet the incident (the cards of one partner issuer); default everyone. */
  segment?: CustomerSegment;
  /**
   * Customers who met the incident's failures leave the bank: from `fromMs` on, none of their journeys is seen again (their
   * draws go to other customers, so volumes stay as they were). Each failed attempt (retries included) a customer met makes
   * it leave with probability `perFailedAttempt`, so the more failures, the likelier: 1 − (1 − p)^k after k (src/demo/traffic.ts).
   */
  departures?: { fromMs: number; perFailedAttempt: number };
  /** Customers complain about it while it lasts (docs/signals.md): complaints per hour, and what they write. */
  complaints?: { perHour: number; texts: readonly string[] };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The card payment drift: days ago of its first day, how many days, failure probability added, volume lost per point. */
export const CARD_DRIFT_SEVERITY = 0.03;
export const CARD_DRIFT_VOLUME_LOSS_PER_POINT = 0.04;

/**
 * The day (days before the current UTC day) of the payments-api release that breaks SEPA Instant: eight days ago, or the
 * Friday before when that is a weekend (fewer transfers then, so the release would spend less of the budget).
 * @example sepaReleaseDay(Date.UTC(2026, 10, 26)) // 8: Wednesday 18 November
 */
export function sepaReleaseDay(nowMs: number): number {
  const weekday = new Date(Math.floor(nowMs / DAY_MS) * DAY_MS - 8 * DAY_MS).getUTCDay();
  return weekday === 0 ? 10 : weekday === 6 ? 9 : 8;
}

/**
 * The days (days before the current UTC day, oldest first) of the card payment drift: of the last six, those that are
 * not a payday and whose weekday was no payday in the three weeks before, since paydays move card volume far more than
 * the drift does (src/demo/seasonality.ts) and the elasticity method assumes nothing else moved it (docs/value.md ("Elasticity")).
 * Never the day of the SEPA Instant outage (src/demo/dora-story.ts): the drift's incident, open all day, shares core-ledger
 * with SEPA Instant and would take the outage in.
 * @example cardDriftDays(Date.UTC(2026, 10, 26, 10, 17)) // [5, 4, 3]: 25 November is a payday, the 24th SEPA's outage
 */
export function cardDriftDays(nowMs: number): number[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const payday = (ms: number) => {
    const d = new Date(ms);
    return isPayday({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
  };
  const days: number[] = [];
  const sepaOutage = doraStoryDay(nowMs);
  for (let daysAgo = 6; daysAgo >= 1; daysAgo -= 1) {
    if (daysAgo === sepaOutage) continue;
    if ([0, 1, 2, 3].some((weeks) => payday(today - (daysAgo + 7 * weeks) * DAY_MS))) continue;
    days.push(daysAgo);
  }
  return days;
}

/**
 * The incidents of the past 28 days, placed relative to `nowMs` (UTC clock times on past days, so all
 * lie before the current day): what the error budgets and incident history of the demo show.
 * Ids are a story name and the start date, e.g. `bf-card-authorise-outage-2026-11-17`.
 * @example backfillIncidents(Date.now()).map((i) => i.id)
 */
export function backfillIncidents(nowMs: number): ScriptedIncident[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const at = (daysAgo: number, hour: number, minute = 0): number => today - daysAgo * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS;
  const incidents: ScriptedIncident[] = [
    {
      id: 'bf-login-degradation',
      title: 'auth-gateway connection pool exhaustion: 5% of logins fail',
      shape: 'step-failure',
      journeys: ['login', 'view-balance', 'sepa-instant', 'statements'],
      services: ['auth-gateway'],
      startMs: at(20, 7, 50),
      endMs: at(20, 8, 20),
      severity: 0.05,
    },
    {
      id: 'bf-kyc-vendor-timeouts',
      title: 'KYC vendor timeouts: 40% of identity checks fail',
      shape: 'step-failure',
      journeys: ['open-account'],
      step: 'identity-check',
      services: ['kyc-service'],
      startMs: at(15, 18, 30),
      endMs: at(15, 19, 30),
      severity: 0.4,
    },
    {
      id: 'bf-ledger-latency',
      title: 'core-ledger index rebuild at lunchtime: balance and authorisation slow',
      shape: 'latency',
      journeys: ['view-balance', 'card-payment'],
      services: ['core-ledger'],
      startMs: at(12, 12, 15),
      endMs: at(12, 12, 40),
      severity: 2,
    },
    {
      id: 'bf-card-authorise-outage',
      title: 'card-issuer-proxy TLS certificate expired at 06:20: every card authorisation fails',
      shape: 'outage',
      journeys: ['card-payment'],
      step: 'authorise',
      services: ['card-issuer-proxy'],
      startMs: at(9, 6, 20),
      endMs: at(9, 6, 32),
      severity: 1,
    },
    {
      id: 'bf-pdf-renderer-errors',
      title: 'pdf-renderer out of memory: statement downloads fail intermittently',
      shape: 'step-failure',
      journeys: ['statements'],
      step: 'download',
      services: ['pdf-renderer'],
      startMs: at(6, 11),
      endMs: at(6, 13),
      severity: 0.3,
    },
    {
      id: 'bf-sepa-slow-burn',
      // A true slow burn: burn rate 8 on the 99.95% success SLO raises tickets (and the slow page), not the fast page.
      title: 'instant-clearing connection resets: 0.4% of SEPA Instant confirmations fail for two days',
      shape: 'slow-burn',
      journeys: ['sepa-instant'],
      step: 'confirm',
      services: ['instant-clearing'],
      startMs: at(5, 9),
      endMs: at(3, 9),
      severity: 0.004,
    },
    {
      id: 'bf-sepa-deploy-regression',
      // The deployment payments-api 7.3.0 (src/demo/deployments.ts) ships it; 7.3.1 rolls it back two hours later.
      // About a third of SEPA Instant's 99.95% success budget (src/demo/demo-story.test.ts checks it).
      title: 'payments-api 7.3.0 idempotency-key bug: 1.4% of SEPA Instant initiations fail until rolled back',
      shape: 'step-failure',
      journeys: ['sepa-instant'],
      step: 'initiate',
      services: ['payments-api'],
      startMs: at(sepaReleaseDay(nowMs), 10, 6),
      endMs: at(sepaReleaseDay(nowMs), 12, 15),
      severity: 0.014,
    },
    {
      id: 'bf-sepa-latency-regression',
      title: 'sepa-gateway release 4.2 regression: SEPA Instant confirmations 3× slower until rolled back',
      shape: 'latency',
      journeys: ['sepa-instant'],
      step: 'confirm',
      services: ['sepa-gateway'],
      startMs: at(1, 10),
      endMs: at(1, 13),
      severity: 3,
    },
  ];
  // Most days of a week of card authorisations declined in error (a 1.5-point drop in success while customers shop, 07:00–22:00 UTC), after
  // which customers pay less often by card: 4% of the volume per point (docs/value.md ("Elasticity") finds it).
  for (const daysAgo of cardDriftDays(nowMs)) {
    // Every other hour from 07:00 to 22:00 UTC: hours of the same day with and without the drift, so that the day's own
    // ups and downs in volume do not pass for the drift's effect.
    for (let hour = 7; hour < 22; hour += 2) {
      incidents.push({
        id: `bf-card-decline-drift-${String(hour).padStart(2, '0')}`,
        title:
          'card-issuer-proxy 3.8.0 maps an issuer response code to a decline when one of its nodes serves: 3% of card authorisations fail',
        shape: 'step-failure',
        journeys: ['card-payment'],
        step: 'authorise',
        services: ['card-issuer-proxy'],
        startMs: at(daysAgo, hour),
        endMs: at(daysAgo, hour + 1),
        severity: CARD_DRIFT_SEVERITY,
        volumeLossPerPoint: CARD_DRIFT_VOLUME_LOSS_PER_POINT,
      });
    }
  }
  // The day in the id keeps incidents of demo runs on different days apart (a reused database keeps both).
  return incidents.map((incident) => ({ ...incident, id: `${incident.id}-${new Date(incident.startMs).toISOString().slice(0, 10)}` }));
}

type LiveTemplate = Omit<ScriptedIncident, 'id' | 'startMs' | 'endMs'> & { minutes: number };

/*
 * Why these severities page, and stop paging. The fast page pair fires when burn(5m) and burn(1h)
 * both exceed 13.44 (28d windows; 14.4 for view-balance's 30d), i.e. when the bad ratio over the last
 * hour exceeds 13.44 × (1 − objective). With steady traffic, an incident adding failure probability p
 * for d minutes gives a 1h bad ratio of about p·d/60, so it pages when p·d > 60 × 13.44 × (1 − o):
 *   card-payment success 99.99%      → p·d > 0.081 failure-minutes (outage 1×3 = 3; screen 0.8×3 = 2.4)
 *   sepa-instant confirm-step 99.99% → p·d > 0.081 (confirm 0.8×4 = 3.2)
 *   sepa-instant success 99.95%      → p·d > 0.40  (initiate outage 1×4 = 4; confirm 3.2)
 *   login success 99.95%             → p·d > 0.40  (mfa 0.8×3 = 2.4; identity outage 1×3 = 3)
 *   view-balance success 99.9% (30d, factor 14.4) → p·d > 0.86 (balance 0.8×3 = 2.4)
 * Latency SLOs count the share of slow events the same way (99.9% → share·d > 0.81):
 *   sepa within-regulatory-limit: confirm ×15 → median 19.5 s, ~90% over 10 s (some time out), ×4 min = 3.6
 *   card authorise-fast: authorise ×8 → median 3 s, ~80% over 2 s, ×3 min = 2.4
 * The margins are wide because traffic is lumpy: at 2 attempts a minute a 3-minute incident sees only
 * about 6 attempts, and an incident with no attempt cannot page (quiet nights and weekend evenings).
 * The 5m ratio during the incident is p·d/5, far above. Once the incident ends, the 5m window is clean
 * again after 5 minutes (plus a minute or two for slow steps and customers' retries), so the page
 * stops. Journeys rotate so that no journey is hit by two incidents less than three slots apart:
 * ≥ 3 × 4 − 4 = 8 minutes pass between the end of one of its incidents and the start of the next.
 */
const LIVE_ROTATION: readonly LiveTemplate[] = [
  {
    title: 'card-issuer-proxy down: card authorisations fail',
    shape: 'outage',
    journeys: ['card-payment'],
    step: 'authorise',
    services: ['card-issuer-proxy'],
    severity: 1,
    minutes: 3,
  },
  {
    title: 'instant-clearing congested: SEPA Instant confirmations 15× slower',
    shape: 'latency',
    journeys: ['sepa-instant'],
    step: 'confirm',
    services: ['instant-clearing'],
    severity: 15,
    minutes: 4,
  },
  {
    title: 'one-time codes not delivered: 80% of MFA challenges fail',
    shape: 'step-failure',
    journeys: ['login'],
    step: 'mfa',
    services: ['notification-service'],
    severity: 0.8,
    minutes: 3,
  },
  {
    title: 'fraud-check rules engine errors: 80% of card screenings fail',
    shape: 'step-failure',
    journeys: ['card-payment'],
    step: 'screen',
    services: ['fraud-check'],
    severity: 0.8,
    minutes: 3,
  },
  {
    title: 'sepa-gateway errors: 80% of SEPA Instant confirmations fail',
    shape: 'step-failure',
    journeys: ['sepa-instant'],
    step: 'confirm',
    services: ['sepa-gateway'],
    severity: 0.8,
    minutes: 4,
  },
  {
    title: 'accounts-api errors: 80% of balances fail to load',
    shape: 'step-failure',
    journeys: ['view-balance'],
    step: 'balance',
    services: ['accounts-api'],
    severity: 0.8,
    minutes: 3,
  },
  {
    title: 'card-gateway GC pauses: card authorisations 8× slower',
    shape: 'latency',
    journeys: ['card-payment'],
    step: 'authorise',
    services: ['card-gateway'],
    severity: 8,
    minutes: 3,
  },
  {
    title: 'payments-api down: SEPA Instant transfers cannot be initiated',
    shape: 'outage',
    journeys: ['sepa-instant'],
    step: 'initiate',
    services: ['payments-api'],
    severity: 1,
    minutes: 4,
  },
  {
    title: 'identity service down: logins and account applications fail',
    shape: 'outage',
    journeys: ['login', 'open-account'],
    services: ['identity'],
    severity: 1,
    minutes: 3,
  },
];

/**
 * The live incident schedule from `startMs` until `untilMs` (default: a week): the first starts two
 * minutes in, then one every 4–6 minutes, each lasting 3–4 minutes, rotating shapes and journeys.
 * Deterministic in (startMs, seed); ids are `live-` and the start minute in base 36, unique across runs.
 * @example generateTraffic({ config, fromMs: now, toMs, seed, incidents: [...backfillIncidents(now), ...liveIncidents(now, seed)] })
 */
export function liveIncidents(startMs: number, seed: number, untilMs = startMs + 7 * DAY_MS): ScriptedIncident[] {
  const rng = mulberry32(mixSeed(seed, Math.floor(startMs / MINUTE_MS), 0x11fe));
  const incidents: ScriptedIncident[] = [];
  let start = (Math.floor(startMs / MINUTE_MS) + 2) * MINUTE_MS;
  for (let k = 0; start < untilMs; k += 1) {
    const template = LIVE_ROTATION[k % LIVE_ROTATION.length]!;
    const { minutes, ...incident } = template;
    incidents.push({
      ...incident,
      journeys: [...incident.journeys],
      services: [...incident.services],
      id: `live-${(start / MINUTE_MS).toString(36)}`,
      startMs: start,
      endMs: start + minutes * MINUTE_MS,
    });
    start += (4 + Math.floor(rng() * 3)) * MINUTE_MS;
  }
  return incidents;
}

/** Share of statement downloads that fail while the weekly document-store batch runs. */
export const MAINTENANCE_FAILURE = 0.6;

/**
 * The demo's announced maintenance: every weekly correction of vigil.yaml (bank.yaml's Sunday statements batch) played
 * as failures of the corrected journeys' last step in each occurrence between `fromMs` and `toMs`. The correction leaves
 * those failures out of every SLO figure (docs/slo-maths.md ("Corrections")); no technical alert fires for them.
 * @example maintenanceIncidents(config, now - 28 * DAY_MS, now).length // 4: one per Sunday
 */
export function maintenanceIncidents(config: VigilConfig, fromMs: number, toMs: number): ScriptedIncident[] {
  const weekly = (config.corrections ?? []).filter((c) => c.kind === 'weekly');
  return correctionOccurrences(weekly, config.defaults.timezone, fromMs, toMs).flatMap((occurrence) => {
    const correction = weekly.find((c) => c.name === occurrence.name)!;
    return correction.journeys.flatMap((name) => {
      const journey = config.journeys.find((j) => j.name === name);
      const step = journey?.steps[journey.steps.length - 1];
      if (!journey || !step) return [];
      return [
        {
          id: `maintenance-${occurrence.name}-${name}-${(occurrence.from / MINUTE_MS).toString(36)}`,
          title: occurrence.reason ?? `Announced maintenance: ${occurrence.name}`,
          shape: 'step-failure' as const,
          journeys: [name],
          step: step.name,
          services: [],
          startMs: occurrence.from,
          endMs: occurrence.to,
          severity: MAINTENANCE_FAILURE,
          maintenance: true,
        },
      ];
    });
  });
}

/** What customers write when statement PDFs come out blank (bank.yaml's keywords map them to statements). */
export const BLANK_STATEMENT_COMPLAINTS: readonly string[] = [
  'Statement PDF is blank',
  'Downloaded my statement and it is empty',
  'My statement PDF opens as a white page',
  'Statement download says complete but the PDF is blank',
  'Need my statement for a mortgage application and the PDF is empty!',
  'blank pdf every time I download a statement',
];

/** Complaints an hour about blank statements while they last: far above the usual fraction of one (src/demo/signals.ts). */
export const BLANK_STATEMENT_COMPLAINTS_PER_HOUR = 24;

/**
 * The demo's blind spot (docs/signals.md ("In the demo")): from 45 minutes before `startMs` for three hours, the
 * pdf-renderer writes blank statement PDFs and every step still reports success — no failure, no slower step, no technical
 * alert, so every SLO of statements stays green — while customers complain about it by the dozen.
 * @example blankStatementsEpisode(Date.now()).complaints?.perHour // 24
 */
export function blankStatementsEpisode(startMs: number): ScriptedIncident {
  const start = (Math.floor(startMs / MINUTE_MS) - 45) * MINUTE_MS;
  return {
    id: `blank-statements-${(start / MINUTE_MS).toString(36)}`,
    title: 'pdf-renderer writes blank statement PDFs and reports success: customers complain, no SLI sees it',
    shape: 'unseen',
    journeys: ['statements'],
    step: 'download',
    services: ['pdf-renderer'],
    // Nothing the pdf-renderer's monitoring measures goes wrong: it answers quickly, with a PDF, and no alert fires.
    silent: true,
    startMs: start,
    endMs: start + 3 * HOUR_MS,
    severity: 0,
    complaints: { perHour: BLANK_STATEMENT_COMPLAINTS_PER_HOUR, texts: BLANK_STATEMENT_COMPLAINTS },
  };
}
