/**
 * The demo's stream of technical alerts over time: the storms of the scripted incidents and the
 * background noise, handed out in delivery order as the (simulated or real) clock advances.
 */
import type { IncomingAlert } from '../model/alert.js';
import type { VigilConfig } from '../model/config.js';
import { noiseAlerts, stormFor, type TimedAlert } from './alert-storm.js';
import type { ScriptedIncident } from './scenario.js';

const NOISE_CHUNK_MS = 30 * 60_000;

export class AlertFeed {
  private readonly config: VigilConfig;
  private readonly seed: number;
  private readonly incidents: ScriptedIncident[];
  private pending: TimedAlert[] = [];
  private nextIncident = 0;
  private noiseUntil: number;

  /** Storms come for the incidents still going at `fromMs` or later; noise starts at `noiseFromMs`. */
  constructor(config: VigilConfig, seed: number, incidents: readonly ScriptedIncident[], range: { fromMs: number; noiseFromMs: number }) {
    const noiseFromMs = range.noiseFromMs;
    this.config = config;
    this.seed = seed;
    // Incidents over before the feed starts raise nothing any more.
    this.incidents = incidents.filter((i) => i.endMs > range.fromMs).sort((a, b) => a.startMs - b.startMs);
    this.noiseUntil = noiseFromMs;
  }

  /** Every message due at or before `untilMs` and not handed out yet, in delivery order. */
  due(untilMs: number): IncomingAlert[] {
    while (this.nextIncident < this.incidents.length && this.incidents[this.nextIncident]!.startMs <= untilMs) {
      this.pending.push(...stormFor(this.incidents[this.nextIncident++]!, this.config, this.seed));
    }
    while (this.noiseUntil <= untilMs) {
      this.pending.push(...noiseAlerts(this.config, this.noiseUntil, this.noiseUntil + NOISE_CHUNK_MS, this.seed));
      this.noiseUntil += NOISE_CHUNK_MS;
    }
    this.pending.sort((a, b) => a.at - b.at);
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.at <= untilMs) n++;
    const out = this.pending.slice(0, n).map((t) => t.alert);
    this.pending = this.pending.slice(n);
    return out;
  }

  /**
   * The messages due at or before `untilMs` of alerts that began by `cutoffMs` (their re-sends and resolves), and no new
   * storm or noise: what a demo without live traffic still delivers, so that the alerts its history left firing resolve on
   * time instead of firing for ever. `pending` says whether any is left to deliver.
   */
  inFlight(cutoffMs: number, untilMs: number): { alerts: IncomingAlert[]; pending: boolean } {
    this.pending = this.pending.filter((t) => (t.alert.startsAt ?? t.at) <= cutoffMs);
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.at <= untilMs) n++;
    const alerts = this.pending.slice(0, n).map((t) => t.alert);
    this.pending = this.pending.slice(n);
    return { alerts, pending: this.pending.length > 0 };
  }
}
