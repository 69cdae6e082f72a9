/** Open incidents by correlation key, so that finding an alert's incidents costs its keys, not a scan of every incident. */
import { gapBetween, gapToTime, isOlder, type Track } from './incident-track.js';

export class IncidentIndex {
  /** Sets are kept when they empty: keys are bounded by the configuration's stages and services. */
  private readonly byKey = new Map<string, Set<Track>>();

  constructor(private readonly windowMs: number) {}

  add(track: Track, keys: Iterable<string>): void {
    for (const key of keys) {
      const set = this.byKey.get(key);
      if (set) set.add(track);
      else this.byKey.set(key, new Set([track]));
    }
  }

  remove(track: Track): void {
    for (const key of track.indexKeys) this.byKey.get(key)?.delete(track);
  }

  /** Open incidents registered under any of `lookupKeys` whose alert span is within the window of `time`. */
  atTime(lookupKeys: Iterable<string>, time: number): Track[] {
    const found: Track[] = [];
    for (const key of lookupKeys) {
      for (const track of this.byKey.get(key) ?? []) {
        if (!found.includes(track) && gapToTime(track, time) <= this.windowMs) found.push(track);
      }
    }
    return found;
  }

  /** Other open incidents registered under any of `lookupKeys` whose alert span is within the window of `track`'s. */
  near(track: Track, lookupKeys: Iterable<string>): Track[] {
    const found: Track[] = [];
    for (const key of lookupKeys) {
      const set = this.byKey.get(key);
      // The common case in a long incident: the key leads back to the incident itself only.
      if (!set || set.size === 0 || (set.size === 1 && set.has(track))) continue;
      for (const other of set) {
        if (other !== track && !found.includes(other) && gapBetween(track, other) <= this.windowMs) found.push(other);
      }
    }
    return found;
  }
}

/** The oldest of some incidents (earliest alert, then creation order). */
export function oldest(tracks: readonly Track[]): Track | null {
  let best: Track | null = null;
  for (const track of tracks) if (best === null || isOlder(track, best)) best = track;
  return best;
}
