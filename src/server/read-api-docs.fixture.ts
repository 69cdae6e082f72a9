/**
 * The scenario behind the read-API examples of docs/api.md: the configuration of
 * test/fixtures/e2e.yaml, a fixed clock, and events whose figures can be checked by hand.
 */
import type { JourneyEvent } from '../model/event.js';

/** The instant every example is evaluated at. */
export const DOCS_NOW = Date.parse('2026-11-26T10:00:30Z');

const MINUTE = 60_000;
const BASE = Date.parse('2026-11-26T09:56:00Z');

/**
 * 1,000 whole-journey wire transfers over 09:56–10:00 (200 a minute): 990 successes, 20 of them slower
 * than 10 s, and 10 failures in the last minute; 30 confirm-step events (one failure at 10:00); 100
 * logins, one abandoned.
 */
export function docsEvents(): JourneyEvent[] {
  const events: JourneyEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const minute = Math.floor(i / 200);
    events.push({
      id: `wt-${i}`,
      journey: 'wire-transfer',
      outcome: minute === 4 && i % 200 < 10 ? 'failure' : 'success',
      latencyMs: i % 50 === 1 ? 12_000 : 800,
      timestamp: BASE + minute * MINUTE + (i % 200) * 250,
      customerId: `c-${i % 97}`,
    });
  }
  for (let i = 0; i < 30; i++) {
    events.push({
      journey: 'wire-transfer',
      step: 'confirm',
      outcome: i === 29 ? 'failure' : 'success',
      latencyMs: 300,
      timestamp: BASE + 2 * MINUTE + i * 4000,
    });
  }
  for (let i = 0; i < 100; i++) {
    events.push({ journey: 'login', step: 'authenticate', outcome: 'success', timestamp: BASE + i * 1000 });
    events.push({ journey: 'login', outcome: i === 0 ? 'abandoned' : 'success', timestamp: BASE + i * 1000 });
  }
  return events;
}
