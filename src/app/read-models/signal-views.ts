/**
 * Customer signals as the API serves them (docs/signals.md): the stream, each journey's rate against its
 * baseline, and the blind spot — customers complaining about a journey whose SLIs and infrastructure look healthy.
 */
import { toInstant } from '../../api/common.js';
import type { JourneyDetail, JourneysResponse } from '../../api/journeys.js';
import type { SignalJson, SignalStatus, SignalsResponse } from '../../api/signals.js';
import type { SloStatus } from '../../api/slo.js';
import type { Alert } from '../../model/alert.js';
import { DEFAULT_MIN_SPIKE, type Signal } from '../../model/signal.js';
import type { VigilConfig } from '../../model/config.js';
import type { SignalCursor, SignalStore } from '../../store/signals/signal-store.js';

export type { SignalCursor };
import { spikeStatus, spikeWindows } from '../../value/signal-spike.js';

/** Signals per page unless `limit` says otherwise, and the most one page holds. */
export const DEFAULT_SIGNAL_LIMIT = 100;
export const MAX_SIGNAL_LIMIT = 1000;

export interface SignalListQuery {
  /** A journey's signals; null: only those under no journey; undefined: all. */
  journey?: string | null;
  from?: number;
  to?: number;
  after?: SignalCursor;
  limit: number;
}

/**
 * The opaque cursor of the page after `last`: its at and id, base64url-encoded.
 * @example encodeSignalCursor({ at: 1795687200000, id: 'r-1' }) // 'MTc5NTY4NzIwMDAwMC5yLTE'
 */
export function encodeSignalCursor(last: SignalCursor): string {
  return Buffer.from(`${last.at}.${last.id}`, 'utf8').toString('base64url');
}

/** The cursor a previous answer's `next` gave, or null when the text is not one. */
export function decodeSignalCursor(value: string): SignalCursor | null {
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^(-?\d{1,16})\.(.+)$/s.exec(text);
  return match ? { at: Number(match[1]), id: match[2]! } : null;
}

function signalJson(s: Signal): SignalJson {
  return { ...s, at: toInstant(s.at), receivedAt: toInstant(s.receivedAt) };
}

/** An SLO that shows nothing wrong: no page, no ticket, budget left. */
const sloOk = (s: SloStatus): boolean => !s.alerts.page && !s.alerts.ticket && s.errorBudget.remaining > 0;

/**
 * A blind spot: the journey's signals spike while every one of its SLOs is ok and no service of its steps
 * has a firing technical alert — customers see something no SLI shows (docs/signals.md ("Blind spots")).
 * @example isBlindSpot(true, [okSlo], ['payments-api'], new Set()) // true
 */
export function isBlindSpot(
  spiking: boolean,
  slos: readonly SloStatus[],
  services: readonly string[],
  firingServices: ReadonlySet<string>,
): boolean {
  return spiking && slos.every(sloOk) && !services.some((s) => firingServices.has(s));
}

interface JourneyLike {
  name: string;
  slos: SloStatus[];
  steps: { services: string[] }[];
}

/**
 * @example const views = new SignalViews(() => runtime.config, store.signals, () => incidents.firingTechnicalAlerts());
 * await views.withSignals(journeyViews.list(now), now)
 */
export class SignalViews {
  constructor(
    private readonly config: () => Pick<VigilConfig, 'signals'>,
    private readonly store: Pick<SignalStore, 'listSignals' | 'signalCounts'>,
    private readonly firing: () => readonly Alert[],
  ) {}

  /** A page of signals, newest first, with the cursor of the next. */
  async list(query: SignalListQuery): Promise<SignalsResponse> {
    // One more than asked says whether a next page exists.
    const rows = await this.store.listSignals({ ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { signals: page.map(signalJson), next: rows.length > query.limit && last ? encodeSignalCursor(last) : null };
  }

  /** Each journey's signal status at `at`: five sums over the store's index, whatever the number of journeys. */
  async statuses(journeys: readonly JourneyLike[], at: number): Promise<Map<string, SignalStatus>> {
    const minSpike = this.config().signals?.minSpike ?? DEFAULT_MIN_SPIKE;
    const sums = await Promise.all(spikeWindows(at).map((w) => this.store.signalCounts(w.from, w.to)));
    const countsOf = sums.map((rows) => new Map(rows.map((r) => [r.journey, r.count])));
    const firingServices = new Set(this.firing().flatMap((a) => (a.service ? [a.service] : [])));
    const out = new Map<string, SignalStatus>();
    for (const journey of journeys) {
      const [last, ...weeks] = countsOf.map((c) => c.get(journey.name) ?? 0);
      const spike = spikeStatus(last ?? 0, weeks, minSpike);
      const services = journey.steps.flatMap((s) => s.services);
      out.set(journey.name, { ...spike, minSpike, blindSpot: isBlindSpot(spike.spiking, journey.slos, services, firingServices) });
    }
    return out;
  }

  /** The journey list with each journey's signals. */
  async withSignals(list: JourneysResponse, at: number): Promise<JourneysResponse> {
    const statuses = await this.statuses(list.journeys, at);
    return { ...list, journeys: list.journeys.map((j) => ({ ...j, signals: statuses.get(j.name)! })) };
  }

  /** One journey's detail with its signals. */
  async detailWithSignals(detail: JourneyDetail, at: number): Promise<JourneyDetail> {
    const statuses = await this.statuses([detail], at);
    return { ...detail, signals: statuses.get(detail.name)! };
  }
}
