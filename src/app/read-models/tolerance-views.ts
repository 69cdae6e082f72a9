/**
 * The impact-tolerance read model (docs/impact-tolerances.md ("The yearly list"), docs/api.md ("Impact tolerances")): the
 * year's disruptions per important business service, and each service's running clock on the journey answers. It reads
 * what the watch recorded (src/app/tolerance-watch.ts), so every node answers the same.
 */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { JourneyDetail, JourneysResponse } from '../../api/journeys.js';
import type { DisruptionJson, JourneyTolerance, ServiceTolerances, ToleranceLevel, TolerancesResponse } from '../../api/tolerances.js';
import { clockLevel, elapsedMs, yearOf, yearRange } from '../../incidents/impact-tolerance.js';
import { durationText, type VigilConfig } from '../../model/config.js';
import type { DisruptionRecord } from '../../model/disruption.js';
import type { DisruptionStore } from '../../store/disruptions/disruption-store.js';
import { importantServices } from '../tolerance-watch.js';

const LEVEL_RANK: Readonly<Record<ToleranceLevel, number>> = { ok: 0, warning: 1, breached: 2 };

/**
 * A disruption on the wire at `at`: a running one's duration is where its clock stands then.
 * @example disruptionJson(record, Date.now()).level // 'warning'
 */
export function disruptionJson(record: DisruptionRecord, at: number): DisruptionJson {
  const elapsed = elapsedMs(record, at);
  // A breach once recorded stays one, as does a warning, whatever late events later made of the duration; the clock
  // itself may be ahead of the record by up to a tick.
  const recorded: ToleranceLevel = record.breachedAt !== null ? 'breached' : record.warnedAt !== null ? 'warning' : 'ok';
  const measured = clockLevel(elapsed, record.toleranceMs);
  const level = LEVEL_RANK[measured] > LEVEL_RANK[recorded] ? measured : recorded;
  return {
    id: record.id,
    journey: record.journey,
    incidentId: record.incidentId,
    start: toInstant(record.startAt),
    end: toInstantOrNull(record.endAt),
    running: record.endAt === null,
    durationSeconds: Math.floor(elapsed / 1000),
    toleranceSeconds: Math.round(record.toleranceMs / 1000),
    level,
    warnedAt: toInstantOrNull(record.warnedAt),
    breachedAt: toInstantOrNull(record.breachedAt),
    breached: level === 'breached',
  };
}

/** The longest of a list (the first among equals), or null. */
function longest(disruptions: readonly DisruptionJson[]): DisruptionJson | null {
  let best: DisruptionJson | null = null;
  for (const d of disruptions) if (best === null || d.durationSeconds > best.durationSeconds) best = d;
  return best;
}

export class ToleranceViews {
  constructor(
    private readonly config: () => VigilConfig,
    private readonly store: Pick<DisruptionStore, 'disruptions' | 'runningDisruptions'>,
  ) {}

  /**
   * The year's disruptions per important business service: those configured now, in configuration order, then any other
   * journey with disruptions recorded in the year. `year` undefined: the year of `at` in defaults.timezone.
   */
  async year(year: number | undefined, at: number): Promise<TolerancesResponse> {
    const config = this.config();
    const timezone = config.defaults.timezone;
    const chosen = year ?? yearOf(at, timezone);
    const { startMs, endMs } = yearRange(chosen, timezone);
    const records = await this.store.disruptions({ startFrom: startMs, startTo: endMs });
    const byJourney = new Map<string, DisruptionJson[]>();
    for (const r of records) {
      const list = byJourney.get(r.journey) ?? [];
      list.push(disruptionJson(r, at));
      byJourney.set(r.journey, list);
    }
    const services: ServiceTolerances[] = [];
    const service = (journey: string, displayName: string, toleranceMinutes: number | null): ServiceTolerances => {
      const disruptions = byJourney.get(journey) ?? [];
      return {
        journey,
        displayName,
        configured: toleranceMinutes !== null,
        tolerance: toleranceMinutes === null ? null : durationText(toleranceMinutes),
        toleranceSeconds: toleranceMinutes === null ? null : toleranceMinutes * 60,
        disruptions,
        longest: longest(disruptions),
        anyBreached: disruptions.some((d) => d.breached),
      };
    };
    const configured = new Set<string>();
    for (const { journey, toleranceMs } of importantServices(config)) {
      configured.add(journey.name);
      services.push(service(journey.name, journey.displayName, toleranceMs / 60_000));
    }
    for (const journey of [...byJourney.keys()].sort()) {
      if (configured.has(journey)) continue;
      services.push(service(journey, config.journeys.find((j) => j.name === journey)?.displayName ?? journey, null));
    }
    return { year: chosen, timezone, from: toInstant(startMs), to: toInstant(endMs), at: toInstant(at), services };
  }

  /** Each important business service's tolerance and running clock at `at`, by journey name. */
  async clocks(at: number): Promise<Map<string, JourneyTolerance>> {
    const services = importantServices(this.config());
    const out = new Map<string, JourneyTolerance>();
    if (services.length === 0) return out;
    const running = await this.store.runningDisruptions();
    for (const { journey, toleranceMs } of services) {
      // The oldest running disruption started at or before `at` (there is at most one unless late events split one).
      const record = running.find((r) => r.journey === journey.name && r.startAt <= at);
      out.set(journey.name, {
        tolerance: durationText(toleranceMs / 60_000),
        toleranceSeconds: toleranceMs / 1000,
        clock: record ? disruptionJson(record, at) : null,
      });
    }
    return out;
  }

  /** The journey list with each important business service's tolerance and clock. */
  async withClocks(list: JourneysResponse, at: number): Promise<JourneysResponse> {
    const clocks = await this.clocks(at);
    if (clocks.size === 0) return list;
    return {
      ...list,
      journeys: list.journeys.map((j) => {
        const clock = clocks.get(j.name);
        return clock ? { ...j, impactTolerance: clock } : j;
      }),
    };
  }

  /** One journey's detail with its tolerance and clock, when it is an important business service. */
  async detailWithClock(detail: JourneyDetail, at: number): Promise<JourneyDetail> {
    const clock = (await this.clocks(at)).get(detail.name);
    return clock ? { ...detail, impactTolerance: clock } : detail;
  }
}
