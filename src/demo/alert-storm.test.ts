import { describe, expect, it } from 'vitest';
import { loadBankConfig } from './bank.js';
import { AlertFeed } from './alert-feed.js';
import { noiseAlerts, stormFor } from './alert-storm.js';
import { backfillIncidents } from './scenario.js';

const config = await loadBankConfig();
const NOW = Date.parse('2026-11-26T10:00:00Z');

describe('demo alert storms', () => {
  const incident = backfillIncidents(NOW).find((i) => i.shape === 'outage')!;
  const storm = stormFor(incident, config, 7);
  const keys = new Set(storm.map((a) => a.alert.sourceKey));

  it('fires dozens of distinct alerts across the blamed services, within the incident', () => {
    expect(keys.size).toBeGreaterThanOrEqual(12);
    for (const service of incident.services) expect(storm.some((a) => a.alert.labels.service === service)).toBe(true);
    const firstFiring = Math.min(...storm.filter((a) => a.alert.status === 'firing').map((a) => a.at));
    expect(firstFiring).toBeGreaterThanOrEqual(incident.startMs);
    expect(firstFiring).toBeLessThan(incident.startMs + 2 * 60_000);
  });

  it('resolves every alert it fires, after the incident ends, and re-sends while firing', () => {
    for (const key of keys) {
      const messages = storm.filter((a) => a.alert.sourceKey === key);
      expect(messages.at(-1)!.alert.status).toBe('resolved');
      expect(messages.at(-1)!.at).toBeGreaterThan(incident.endMs);
    }
    expect(storm.length).toBeGreaterThan(keys.size * 2);
  });

  it('is deterministic', () => {
    expect(stormFor(incident, config, 7)).toEqual(storm);
    expect(stormFor(incident, config, 8)).not.toEqual(storm);
  });

  it('adds noise mostly on services no journey depends on', () => {
    const noise = noiseAlerts(config, NOW - 6 * 3_600_000, NOW, 7);
    const firing = noise.filter((a) => a.alert.status === 'firing' && a.alert.summary);
    const journeyServices = new Set(config.journeys.flatMap((j) => j.steps.flatMap((s) => s.services)));
    const unrelated = firing.filter((a) => !journeyServices.has(a.alert.labels.service!));
    expect(firing.length).toBeGreaterThan(5);
    expect(unrelated.length / firing.length).toBeGreaterThan(0.6);
    expect(noise.every((a) => a.at >= NOW - 6 * 3_600_000)).toBe(true);
    expect(firing.filter((a) => a.alert.startsAt === a.at).every((a) => a.at < NOW)).toBe(true);
  });

  it('delivers every noise alert whole: each one that fires also resolves', () => {
    const noise = noiseAlerts(config, NOW - 3_600_000, NOW, 7);
    const keys = new Set(noise.map((a) => a.alert.sourceKey));
    for (const key of keys) expect(noise.filter((a) => a.alert.sourceKey === key).at(-1)!.alert.status).toBe('resolved');
  });
});

describe('the alert feed without live traffic (--no-live)', () => {
  it('finishes the lives of the alerts begun by the end of the history, and starts none after it', () => {
    const outage = backfillIncidents(NOW).find((i) => i.shape === 'outage')!;
    // The history ends 40 s into the outage: part of its storm has begun, the rest has not, and nothing has resolved.
    const cutoff = outage.startMs + 40_000;
    const feed = new AlertFeed(config, 7, [outage], { fromMs: outage.startMs - 3_600_000, noiseFromMs: outage.startMs - 3_600_000 });
    const delivered = feed.due(cutoff);
    const over = new Set(delivered.filter((a) => a.status === 'resolved').map((a) => a.sourceKey));
    const begun = new Set(delivered.filter((a) => a.status === 'firing' && !over.has(a.sourceKey)).map((a) => a.sourceKey));
    expect(begun.size).toBeGreaterThan(3);
    const later = stormFor(outage, config, 7).filter((t) => t.at > cutoff);
    expect(later.some((t) => !begun.has(t.alert.sourceKey))).toBe(true); // some of the storm starts after the cut
    const first = feed.inFlight(cutoff, outage.endMs);
    const rest = feed.inFlight(cutoff, Number.POSITIVE_INFINITY);
    expect(rest.pending).toBe(false);
    const finished = [...first.alerts, ...rest.alerts];
    for (const alert of finished) expect(alert.startsAt!).toBeLessThanOrEqual(cutoff);
    // Every alert that was firing at the cut is resolved, once, at the end of its life.
    const resolved = new Set(finished.filter((a) => a.status === 'resolved').map((a) => a.sourceKey));
    for (const key of begun) expect(resolved.has(key), key).toBe(true);
    expect(first.pending).toBe(true);
    expect(first.alerts.every((a) => a.status === 'firing' || a.endsAt! <= outage.endMs)).toBe(true);
  });
});
