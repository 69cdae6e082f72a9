/**
 * Export then import gives the same journeys back (docs/openslo.md ("Round trip")): the demo bank, hand-picked cases at the
 * edges of what OpenSLO can hold (long names and texts, custom tiers and alert windows, calendar windows, value weighting),
 * and configurations generated at random.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { alertWindowsFor } from '../../engine/alert-pairs.js';
import type { JourneySpec, VigilConfig } from '../../model/config.js';
import { formatProblem, loadConfigFromString } from '../load.js';
import { yaml } from '../test-yaml.js';
import { readText } from './documents.js';
import { exportOpenSlo } from './export.js';
import { importOpenSlo } from './import.js';

function load(text: string): VigilConfig {
  const loaded = loadConfigFromString(text, 'vigil.yaml');
  if (!loaded.ok) throw new Error(`does not load:\n${loaded.errors.map(formatProblem).join('\n')}\n${text}`);
  return loaded.config;
}

/** vigil.yaml → OpenSLO → vigil.yaml, through the same reader the CLI uses; the import must name nothing as left out. */
function roundTrip(config: VigilConfig): { back: VigilConfig; notImported: string[]; text: string } {
  const exported = exportOpenSlo(config);
  const read = readText(exported.text, 'exported.yaml');
  const result = importOpenSlo({ files: ['exported.yaml'], objects: read.objects, problems: read.problems });
  if (!result.ok) throw new Error(`the export does not validate:\n${result.problems.map(formatProblem).join('\n')}`);
  return { back: result.config, notImported: result.notImported.map(formatProblem), text: exported.text };
}

/** Alert windows as they act: the built-in ones for the period when the configuration sets none (import writes none then). */
function effective(journeys: JourneySpec[]): JourneySpec[] {
  return journeys.map((j) => ({
    ...j,
    slos: j.slos.map((s) => ({ ...s, alerting: { ...s.alerting, windows: [...alertWindowsFor(s)] } })),
  }));
}

/** Everything a journey depends on that OpenSLO carries: the journeys, their tiers' objectives, and the zone of calendar windows. */
function expectSame(back: VigilConfig, original: VigilConfig): void {
  expect(effective(back.journeys)).toEqual(effective(original.journeys));
  for (const journey of original.journeys) expect(back.tiers[journey.tier]).toEqual(original.tiers[journey.tier]);
  if (original.journeys.some((j) => j.slos.some((s) => s.window.kind === 'calendar'))) {
    expect(back.defaults.timezone).toBe(original.defaults.timezone);
  }
}

describe('the demo bank', () => {
  const bank = load(readFileSync(new URL('../../demo/bank.yaml', import.meta.url), 'utf8'));

  it('comes back with every journey field the same, nothing left out', () => {
    const { back, notImported } = roundTrip(bank);
    expect(notImported).toEqual([]);
    // Exactly: the bank sets no alert windows, and import writes none when they are the built-in ones.
    expect(back.journeys).toEqual(bank.journeys);
    expect(back.defaults.timezone).toBe('Europe/London');
    expect(back.journeys.map((j) => j.slos.length)).toEqual([2, 2, 2, 3, 2, 2]);
  });

  it('a second round trip writes the same OpenSLO text', () => {
    const first = roundTrip(bank);
    expect(roundTrip(first.back).text).toBe(first.text);
  });
});

describe('edges of what OpenSLO holds', () => {
  it.each([
    [
      'a custom tier, a 4w window, explicit alert windows and a calendar quarter',
      yaml`
        version: vigil/v1
        defaults: { timezone: America/New_York }
        tiers: { gold: { objective: 99.97 }, core: { objective: 99.9 } }
        journeys:
          - name: payout
            tier: gold
            steps: [ { name: a } ]
            slos:
              - name: s
                window: 4w
                sli: { kind: success }
                alerting:
                  minEvents: 5
                  windows: [ { severity: page, short: 10m, long: 2h, budgetPercent: 3 }, { severity: ticket, short: 1h, long: 2d, budgetPercent: 12.5 } ]
              - { name: q, objective: 95, window: quarter, sli: { kind: latency, thresholdMs: 250, step: a } }
          - { name: other, tier: core, steps: [ { name: b } ], slos: [ { name: w, window: week, sli: { kind: success } } ] }
      `,
    ],
    [
      'names, display names and descriptions longer than OpenSLO allows, colliding SLO names',
      yaml`
        version: vigil/v1
        journeys:
          - name: ${'x'.repeat(70)}
            displayName: ${'A journey with a display name far longer than the sixty-three characters OpenSLO allows'}
            description: ${'d'.repeat(1200)}
            steps: [ { name: s, displayName: Step, services: [ api ], critical: true } ]
            slos:
              - { name: ${'y'.repeat(60)}, displayName: ${'An SLO display name that is much longer than sixty-three characters'}, sli: { kind: success } }
          - { name: a-b, steps: [ { name: s } ], slos: [ { name: c, sli: { kind: success } } ] }
          - { name: a, steps: [ { name: s } ], slos: [ { name: b-c, sli: { kind: success } } ] }
      `,
    ],
    [
      'value weighting, abandoned as bad, timeslices, a public journey, a 90-minute window',
      yaml`
        version: vigil/v1
        journeys:
          - name: pay
            public: true
            publicName: Payments
            owner: team-pay
            value: { currency: JPY, revenuePerSuccess: 3, feeRate: 0.01 }
            steps: [ { name: a }, { name: b, services: [ x, y ] } ]
            slos:
              - { name: money, objective: 99.9, window: 30d, sli: { kind: success, weight: amount } }
              - { name: slices, objective: 99, budgeting: timeslices, timeSliceTarget: 97.5, window: 90m, sli: { kind: success, abandonedIsBad: true } }
              - { name: slices-default, budgeting: timeslices, window: 7d, sli: { kind: latency, thresholdMs: 1, step: b } }
      `,
    ],
  ])('%s', (_, text) => {
    const original = load(text);
    const { back, notImported } = roundTrip(original);
    expect(notImported).toEqual([]);
    expectSame(back, original);
  });

  it('explicit alert windows equal to the built-in ones are imported as the default they equal', () => {
    const original = load(yaml`
      version: vigil/v1
      journeys:
        - name: j
          steps: [ { name: a } ]
          slos:
            - name: s
              sli: { kind: success }
              alerting:
                windows:
                  - { severity: page, short: 5m, long: 1h, budgetPercent: 2 }
                  - { severity: page, short: 30m, long: 6h, budgetPercent: 5 }
                  - { severity: ticket, short: 2h, long: 1d, budgetPercent: 10 }
                  - { severity: ticket, short: 6h, long: 3d, budgetPercent: 10 }
    `);
    const { back } = roundTrip(original);
    expect(original.journeys[0]!.slos[0]!.alerting.windows).toHaveLength(4);
    expect(back.journeys[0]!.slos[0]!.alerting.windows).toBeUndefined();
    expectSame(back, original);
  });
});

// ---- generated configurations ----------------------------------------------------------------------------------------

const name = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
  fc.constantFrom('-lead', 'trail-', 'a--b', 'x'.repeat(64), `long-${'n'.repeat(70)}`, '0'),
);
const objective = fc.constantFrom(50, 80, 95, 97.25, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 99.123456);
const rolling = fc.constantFrom('1m', '30m', '90m', '6h', '1d', '7d', '1w', '4w', '28d', '30d', '90d', '400d');
const calendar = fc.constantFrom('week', 'month', 'quarter');
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('é ü ✓ "quoted" #hash: colon', 'z'.repeat(80)));
const pair = fc
  .record({
    severity: fc.constantFrom('page', 'ticket'),
    short: fc.constantFrom(1, 5, 10, 30, 60),
    longFactor: fc.integer({ min: 2, max: 48 }),
    budgetPercent: fc.constantFrom(0.5, 1, 2, 5, 10, 12.5, 100),
  })
  .map((p) => ({ severity: p.severity, short: `${p.short}m`, long: `${p.short * p.longFactor}m`, budgetPercent: p.budgetPercent }));

const journey = fc
  .record({
    name,
    displayName: fc.option(text, { nil: undefined }),
    description: fc.option(fc.oneof(text, fc.constant('long '.repeat(300))), { nil: undefined }),
    tier: fc.constantFrom('critical', 'core', 'standard', 'informational', 'gold', undefined),
    owner: fc.option(text, { nil: undefined }),
    currency: fc.option(fc.constantFrom('EUR', 'GBP', 'JPY'), { nil: undefined }),
    revenue: fc.option(fc.constantFrom(0, 4.5, 85), { nil: undefined }),
    publicName: fc.option(fc.option(text, { nil: undefined }), { nil: null }),
    steps: fc.uniqueArray(
      fc.record({
        name,
        displayName: fc.option(text, { nil: undefined }),
        services: fc.array(text, { maxLength: 3 }),
        critical: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4, selector: (s) => s.name },
    ),
    slos: fc.uniqueArray(
      fc.record({
        name,
        displayName: fc.option(text, { nil: undefined }),
        objective: fc.option(objective, { nil: undefined }),
        window: fc.option(fc.oneof(rolling, calendar), { nil: undefined }),
        timeslices: fc.option(fc.option(objective, { nil: undefined }), { nil: null }),
        latency: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: undefined }),
        stepIndex: fc.option(fc.nat(3), { nil: undefined }),
        abandonedIsBad: fc.boolean(),
        amount: fc.boolean(),
        minEvents: fc.option(fc.nat(1000), { nil: undefined }),
        windows: fc.option(fc.array(pair, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      }),
      { maxLength: 4, selector: (s) => s.name },
    ),
  })
  .map((j) => ({
    name: j.name,
    ...(j.displayName !== undefined && { displayName: j.displayName }),
    ...(j.description !== undefined && { description: j.description }),
    ...(j.tier !== undefined && { tier: j.tier }),
    ...(j.owner !== undefined && { owner: j.owner }),
    ...(j.currency !== undefined && { value: { currency: j.currency, ...(j.revenue !== undefined && { revenuePerSuccess: j.revenue }) } }),
    ...(j.publicName !== null && { public: true, ...(j.publicName !== undefined && { publicName: j.publicName }) }),
    steps: j.steps.map((s) => ({
      name: s.name,
      ...(s.displayName !== undefined && { displayName: s.displayName }),
      services: s.services,
      critical: s.critical,
    })),
    slos: j.slos.map((s) => {
      const step = s.stepIndex !== undefined ? j.steps[s.stepIndex % j.steps.length]!.name : undefined;
      const timeslices = s.timeslices !== null;
      return {
        name: s.name,
        ...(s.displayName !== undefined && { displayName: s.displayName }),
        ...(s.objective !== undefined && { objective: s.objective }),
        ...(s.window !== undefined && { window: s.window }),
        ...(timeslices && { budgeting: 'timeslices', ...(s.timeslices !== undefined && { timeSliceTarget: s.timeslices }) }),
        sli: {
          kind: s.latency !== undefined ? 'latency' : 'success',
          ...(s.latency !== undefined && { thresholdMs: s.latency }),
          ...(step !== undefined && { step }),
          ...(s.abandonedIsBad && { abandonedIsBad: true }),
          ...(s.amount && j.currency !== undefined && !timeslices && { weight: 'amount' }),
        },
        ...((s.minEvents !== undefined || s.windows !== undefined) && {
          alerting: {
            ...(s.minEvents !== undefined && { minEvents: s.minEvents }),
            ...(s.windows !== undefined && { windows: s.windows }),
          },
        }),
      };
    }),
  }));

const configuration = fc
  .record({
    timezone: fc.constantFrom('UTC', 'Europe/London', 'Asia/Kolkata', 'Pacific/Chatham'),
    gold: objective,
    journeys: fc.uniqueArray(journey, { minLength: 1, maxLength: 4, selector: (j) => j.name }),
  })
  .map((c) =>
    stringify({ version: 'vigil/v1', defaults: { timezone: c.timezone }, tiers: { gold: { objective: c.gold } }, journeys: c.journeys }),
  );

describe('generated configurations', () => {
  it('come back with the same journeys, tiers and calendar zone, nothing left out', () => {
    fc.assert(
      fc.property(configuration, (text) => {
        const original = load(text);
        const { back, notImported } = roundTrip(original);
        expect(notImported).toEqual([]);
        expectSame(back, original);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
