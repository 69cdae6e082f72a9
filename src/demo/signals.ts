/**
 * The demo bank's customer signals (docs/signals.md ("In the demo")): a few complaints an hour from the app store, social
 * media, chat and the call centre about every journey (the texts mapped by bank.yaml's `signals.keywords`, some matching
 * none), and the complaints of scripted incidents that have them — the statement PDFs that render blank. Pure and
 * deterministic: each hour draws from its own stream, so any range regenerates the same signals with the same ids.
 */
import { localTimeIn } from './calendar.js';
import { mixSeed, mulberry32, poisson, type Rng, weightedPick } from './random.js';
import type { ScriptedIncident } from './scenario.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A signal as POST /api/v1/signals takes it (docs/signals.md ("Posting signals")). */
export interface DemoSignal {
  id: string;
  source: string;
  at: string;
  journey?: string;
  text?: string;
  count?: number;
}

/** What customers write about each journey when nothing special is going on; `null`: about nothing bank.yaml's keywords know. */
export const EVERYDAY_COMPLAINTS: Record<string, readonly string[]> = {
  login: ['Cannot log in since the last update', 'Face ID keeps failing, I have to type my passcode every time', 'login is so slow today'],
  'view-balance': ['My balance takes ages to appear', 'balance shows yesterday’s amount'],
  'card-payment': [
    'Card declined at the supermarket and I have the money',
    'contactless stopped working on my phone',
    'card declined online twice',
  ],
  'sepa-instant': ['Instant transfer stuck on pending', 'Transfer to a new payee failed and no reason given'],
  'open-account': ['Identity verification pending for three days', 'Tried to open an account, the app froze at the selfie'],
  statements: ['Where do I find my annual statement?', 'statement list is slow to open'],
  none: ['Where is my new PIN?', 'How do I change my address?', 'Your hold music is awful', 'Love the new app design'],
};

/** Which journeys people write about, and how often (per complaint with a text). */
const TOPICS: readonly (readonly [string, number])[] = [
  ['card-payment', 0.25],
  ['login', 0.2],
  ['sepa-instant', 0.15],
  ['view-balance', 0.1],
  ['open-account', 0.08],
  ['statements', 0.05],
  ['none', 0.17],
];

/** Complaints with a text per hour at busy times, by source. */
const TEXT_RATES: readonly (readonly [string, number])[] = [
  ['app-store', 1],
  ['social', 0.6],
  ['chat', 0.3],
];

/** The call centre's hourly tally per journey at busy times (posted with the journey, as a count). */
const CALL_RATES: Record<string, number> = {
  'card-payment': 0.5,
  login: 0.35,
  'sepa-instant': 0.3,
  'view-balance': 0.2,
  'open-account': 0.2,
  statements: 0.15,
};

/** Customers complain in their waking hours: the share of the busy rate by local hour. */
function hourFactor(localHour: number): number {
  if (localHour >= 8 && localHour < 21) return 1;
  if (localHour === 7 || (localHour >= 21 && localHour < 23)) return 0.5;
  return 0.15;
}

/** The everyday signals of one UTC hour (epoch hour `hour`). */
function everydayHour(hour: number, seed: number, localHour: number, journeys: ReadonlySet<string>): DemoSignal[] {
  const rng = mulberry32(mixSeed(seed, hour, 0x5167));
  const factor = hourFactor(localHour);
  const start = hour * HOUR_MS;
  const tag = hour.toString(36);
  const out: DemoSignal[] = [];
  for (const [source, rate] of TEXT_RATES) {
    const n = poisson(rng, rate * factor);
    for (let i = 0; i < n; i += 1) {
      const topic = weightedPick(rng, TOPICS);
      const texts = EVERYDAY_COMPLAINTS[topic]!;
      const text = texts[Math.floor(rng() * texts.length)]!;
      const at = start + Math.floor(rng() * HOUR_MS);
      if (topic === 'none' || journeys.has(topic)) out.push({ id: `demo-${source}-${tag}-${i}`, source, at: iso(at), text });
    }
  }
  for (const [journey, rate] of Object.entries(CALL_RATES)) {
    const count = poisson(rng, rate * factor);
    if (count > 0 && journeys.has(journey))
      out.push({ id: `demo-call-centre-${tag}-${journey}`, source: 'call-centre', at: iso(start + 59 * MINUTE_MS), journey, count });
  }
  return out;
}

/** The complaints an incident with `complaints` sets off: evenly spread texts, and a call-centre tally every 20 minutes. */
function incidentComplaints(incident: ScriptedIncident, seed: number): DemoSignal[] {
  const spec = incident.complaints;
  if (!spec || spec.perHour <= 0) return [];
  const rng: Rng = mulberry32(mixSeed(seed, Math.floor(incident.startMs / MINUTE_MS), 0xc0a1));
  const slot = HOUR_MS / spec.perHour;
  const sources = ['app-store', 'social', 'chat', 'app-store'];
  const out: DemoSignal[] = [];
  for (let k = 0; incident.startMs + k * slot < incident.endMs; k += 1) {
    const at = incident.startMs + Math.floor((k + rng()) * slot);
    const text = spec.texts[Math.floor(rng() * spec.texts.length)]!;
    const source = sources[Math.floor(rng() * sources.length)]!;
    if (at < incident.endMs) out.push({ id: `demo-${incident.id}-${k}`, source, at: iso(at), text });
  }
  for (let k = 1; incident.startMs + k * 20 * MINUTE_MS <= incident.endMs; k += 1) {
    out.push({
      id: `demo-${incident.id}-call-centre-${k}`,
      source: 'call-centre',
      at: iso(incident.startMs + k * 20 * MINUTE_MS - 1_000),
      journey: incident.journeys[0]!,
      count: 2 + Math.floor(rng() * 3),
    });
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface DemoSignalsOptions {
  /** The journeys configured: everyday complaints name only these. */
  journeys: readonly string[];
  timeZone: string;
  seed: number;
  /** Scripted incidents: those with `complaints` add theirs. */
  incidents: readonly ScriptedIncident[];
  /** Epoch ms, inclusive. */
  fromMs: number;
  /** Epoch ms, exclusive. */
  toMs: number;
}

/**
 * The demo's signals whose `at` lies in [fromMs, toMs), oldest first: the same signals, ids included, however the range is
 * cut, so posting them again changes nothing (duplicates by id).
 * @example demoSignals({ journeys: ['statements'], timeZone: 'Europe/London', seed: 7, incidents: [], fromMs, toMs })
 */
export function demoSignals(options: DemoSignalsOptions): DemoSignal[] {
  const { fromMs, toMs, seed } = options;
  if (!(fromMs < toMs)) return [];
  const journeys = new Set(options.journeys);
  const local = localTimeIn(options.timeZone);
  const out: DemoSignal[] = [];
  for (let hour = Math.floor(fromMs / HOUR_MS); hour * HOUR_MS < toMs; hour += 1) {
    out.push(...everydayHour(hour, seed, Math.floor(local(hour * HOUR_MS).minuteOfDay / 60), journeys));
  }
  for (const incident of options.incidents) {
    if (incident.endMs <= fromMs || incident.startMs >= toMs) continue;
    out.push(...incidentComplaints(incident, seed).filter((s) => journeys.has(s.journey ?? incident.journeys[0]!)));
  }
  return out
    .filter((s) => {
      const at = Date.parse(s.at);
      return at >= fromMs && at < toMs;
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1));
}
