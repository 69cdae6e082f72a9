import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncomingAlert, Stage } from '../model/alert.js';
import { Correlator } from './correlate.js';
import { buildJourneyMap } from './journey-map.js';
import { firing, MIN, resolvedAt, sequentialIds, stormConfig, T0 } from './test-kit.test-suite.js';

const config = stormConfig();
const journeyMap = buildJourneyMap(config);
const WINDOW = config.alerting.correlationWindowMinutes * MIN;

/** Shared services, single-stage ones, noise, no service, and SLO alerts on a step or a whole journey. */
const TARGETS: { service: string | null; stage?: Stage }[] = [
  { service: 'card-issuer-proxy' },
  { service: 'card-gateway' },
  { service: 'fraud-check' },
  { service: 'core-ledger' },
  { service: 'sepa-gateway' },
  { service: 'sms-provider' },
  { service: 'identity' },
  { service: 'hr-portal' },
  { service: 'batch-reporting' },
  { service: null },
  { service: null, stage: { journey: 'card-payment', step: null } },
  { service: null, stage: { journey: 'login', step: 'mfa' } },
];

interface Spec {
  target: number;
  name: 'A' | 'B';
  minute: number;
  lasts: number | null;
  resent: boolean;
}
const spec = fc.record({
  target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
  name: fc.constantFrom<'A' | 'B'>('A', 'B'),
  // Whole minutes make alerts land exactly on window edges often.
  minute: fc.integer({ min: 0, max: 45 }),
  lasts: fc.option(fc.integer({ min: 1, max: 20 })),
  resent: fc.boolean(),
});

function messages(specs: Spec[]): { message: IncomingAlert; at: number }[] {
  return specs.flatMap((s, i) => {
    const target = TARGETS[s.target]!;
    const alert = firing(target.service, s.minute, {
      sourceKey: `a${i}`,
      name: s.name,
      ...(target.stage && { source: 'slo' as const, stages: [target.stage], labels: {} }),
    });
    const out = [{ message: alert, at: alert.startsAt! }];
    if (s.resent) out.push({ message: alert, at: alert.startsAt! + 5 * MIN });
    if (s.lasts !== null) out.push({ message: resolvedAt(alert, s.minute + s.lasts), at: T0 + (s.minute + s.lasts) * MIN });
    return out;
  });
}

/** Alert keys grouped by final incident, in a canonical form. */
function grouping(stream: { message: IncomingAlert; at: number }[]): string[][] {
  const c = new Correlator({ journeyMap, alerting: config.alerting, newId: sequentialIds() });
  for (const { message, at } of stream) c.receive(message, at);
  const byIncident = new Map<string, string[]>();
  for (const alert of c.alerts()) {
    if (alert.incidentId === null) continue;
    byIncident.set(alert.incidentId, [...(byIncident.get(alert.incidentId) ?? []), alert.key]);
  }
  return canonical([...byIncident.values()]);
}

function canonical(groups: string[][]): string[][] {
  return groups.map((g) => [...g].sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** Reference: merge groups pairwise from singletons until no two groups correlate (O(n³), obviously right). */
function referenceGrouping(specs: Spec[]): string[][] {
  type Member = { key: string; t: number; end: number; service: string | null; stages: readonly Stage[]; name: string };
  const overlap = (a: Member, b: Member) =>
    (a.service !== null && a.service === b.service) ||
    (a.service === null && a.stages.length === 0 && b.service === null && b.stages.length === 0 && a.name === b.name) ||
    a.stages.some((x) => b.stages.some((y) => x.journey === y.journey && (x.step === null || y.step === null || x.step === y.step)));
  let groups: Member[][] = specs.map((s, i) => {
    const target = TARGETS[s.target]!;
    const stages = target.stage ? [target.stage] : target.service === null ? [] : journeyMap.stagesOf(target.service);
    return [
      {
        key: `${target.stage ? 'slo' : 'alertmanager'}:a${i}`,
        t: T0 + s.minute * MIN,
        end: T0 + (s.minute + (s.lasts ?? 0)) * MIN,
        service: target.service,
        stages,
        name: s.name,
      },
    ];
  });
  // An incident's span: its earliest alert start to its latest known alert end (docs/alerting.md ("Correlation")).
  const span = (g: Member[]) => [Math.min(...g.map((m) => m.t)), Math.max(...g.map((m) => m.end))] as const;
  for (let merged = true; merged; ) {
    merged = false;
    search: for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const [a, b] = [span(groups[i]!), span(groups[j]!)];
        const gap = Math.max(0, b[0] - a[1], a[0] - b[1]);
        if (gap <= WINDOW && groups[i]!.some((x) => groups[j]!.some((y) => overlap(x, y)))) {
          groups = [...groups.filter((_, k) => k !== i && k !== j), [...groups[i]!, ...groups[j]!]];
          merged = true;
          break search;
        }
      }
    }
  }
  return canonical(groups.map((g) => g.map((m) => m.key)));
}

describe('Correlator: replay order does not change the grouping', () => {
  const storm = fc.array(spec, { minLength: 1, maxLength: 24 });

  it('any permutation of a small storm groups as the live (time-ordered) stream does, and as the reference closure', () => {
    fc.assert(
      fc.property(
        storm.chain((specs) => {
          const all = messages(specs);
          return fc.tuple(fc.constant(specs), fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }));
        }),
        ([specs, all, shuffled]) => {
          const live = grouping([...all].sort((a, b) => a.at - b.at));
          expect(grouping(shuffled)).toEqual(live);
          expect(live).toEqual(referenceGrouping(specs));
        },
      ),
      { numRuns: 300 },
    );
  });
});
