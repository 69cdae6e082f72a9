/** `vigil tolerances` prints what docs/cli.md ("vigil tolerances") shows, from the API's answer. */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type DisruptionJson, TolerancesResponse } from '../../api/tolerances.js';
import { renderTolerances } from './tolerances.js';

const H = 3600;

function disruption(id: string, start: string, end: string, seconds: number, incidentId: string, breached: boolean): DisruptionJson {
  const startMs = Date.parse(start);
  return {
    id,
    journey: 'sepa-instant',
    incidentId,
    start,
    end,
    running: false,
    durationSeconds: seconds,
    toleranceSeconds: 4 * H,
    level: breached ? 'breached' : 'ok',
    warnedAt: seconds >= 2 * H ? new Date(startMs + 2 * H * 1000).toISOString() : null,
    breachedAt: breached ? new Date(startMs + 4 * H * 1000).toISOString() : null,
    breached,
  };
}

/** The example of docs/cli.md: two SEPA Instant disruptions of 2026 (London is on GMT in March and November). */
const spring = disruption(
  'sepa-instant@2026-03-02T14:05:00.000Z',
  '2026-03-02T14:05:00.000Z',
  '2026-03-02T14:48:00.000Z',
  43 * 60,
  'inc-0b1c2d3e',
  false,
);
const autumn = disruption(
  'sepa-instant@2026-11-26T09:12:00.000Z',
  '2026-11-26T09:12:00.000Z',
  '2026-11-26T13:24:00.000Z',
  4 * H + 12 * 60,
  'inc-3f2a9c1e',
  true,
);
const EXAMPLE = TolerancesResponse.parse({
  year: 2026,
  timezone: 'Europe/London',
  from: '2026-01-01T00:00:00.000Z',
  to: '2027-01-01T00:00:00.000Z',
  at: '2026-11-27T10:00:00.000Z',
  services: [
    {
      journey: 'sepa-instant',
      displayName: 'SEPA Instant',
      configured: true,
      tolerance: '4h',
      toleranceSeconds: 4 * H,
      disruptions: [spring, autumn],
      longest: autumn,
      anyBreached: true,
    },
    {
      journey: 'card-payment',
      displayName: 'Card payment',
      configured: true,
      tolerance: '2h',
      toleranceSeconds: 2 * H,
      disruptions: [],
      longest: null,
      anyBreached: false,
    },
  ],
});

/** The ```text block of the command's section in docs/cli.md. */
function documentedOutput(): string {
  const doc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('\n## `vigil tolerances`\n'));
  const match = /```text\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('docs/cli.md has no example output for vigil tolerances');
  return match[1]!.trimEnd();
}

describe('renderTolerances', () => {
  it('prints the example of docs/cli.md exactly, times in the answer’s time zone', () => {
    expect(stripVTControlCharacters(renderTolerances(EXAMPLE))).toBe(documentedOutput());
  });

  it('a running disruption says so; a service no longer configured says that; none configured says how to', () => {
    const running = { ...autumn, end: null, running: true, level: 'warning' as const, breached: false, breachedAt: null };
    const text = stripVTControlCharacters(
      renderTolerances({
        ...EXAMPLE,
        services: [{ ...EXAMPLE.services[0]!, configured: false, tolerance: null, toleranceSeconds: null, disruptions: [running] }],
      }),
    );
    expect(text).toContain('SEPA Instant (no longer configured)');
    expect(text).toMatch(/2026-11-26 09:12 {2}running +4 h 12 min +4 h {2}inc-3f2a9c1e {2}past half/);
    expect(renderTolerances({ ...EXAMPLE, services: [] })).toContain('No journey is an important business service');
  });
});
