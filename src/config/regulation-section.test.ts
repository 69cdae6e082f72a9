/** `regulation` in vigil.yaml (docs/configuration.md ("regulation")): the regulation's defaults, resolution, problems at file:line:col. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journeyRegulation, regulationOf } from '../model/regulation.js';
import { formatProblem, loadConfigFromString } from './load.js';

const JOURNEYS = [
  'journeys:',
  '  - name: sepa-instant',
  '    tier: critical',
  '    steps: [{ name: pay, services: [sepa-api] }]',
  '  - name: statements',
  '    steps: [{ name: view, services: [docs-api] }]',
  '',
].join('\n');
/** JOURNEYS with a `regulation` line under the first journey's tier (line 5), or under the second's name (line 7). */
const withJourneyRegulation = (first: string, second?: string) =>
  JOURNEYS.replace('    tier: critical\n', `    tier: critical\n    regulation: ${first}\n`).replace(
    '  - name: statements\n',
    `  - name: statements\n${second === undefined ? '' : `    regulation: ${second}\n`}`,
  );

function load(text: string) {
  const result = loadConfigFromString(`version: vigil/v1\n${text}`, 'vigil.yaml');
  if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
  return result.config;
}

function problems(text: string): string[] {
  const result = loadConfigFromString(`version: vigil/v1\n${text}`, 'vigil.yaml');
  return result.ok ? [] : result.errors.map(formatProblem);
}

describe('regulation in vigil.yaml', () => {
  it('is left out when unset; regulationOf and journeyRegulation give the regulation defaults and critical from the tier', () => {
    const config = load(JOURNEYS);
    expect('regulation' in config).toBe(false);
    expect(config.journeys.some((j) => 'regulation' in j)).toBe(false);
    expect(regulationOf(config)).toEqual({
      downtimeBelow: 0.5,
      dora: {
        referenceDays: 30,
        clientsShare: 0.1,
        clientsAbsolute: 100_000,
        transactionsShare: 0.1,
        amountShare: 0.1,
        durationMinutes: 1440,
        downtimeMinutes: 120,
        economicImpact: { amount: 100_000, currency: 'EUR' },
        recurringWithinMinutes: 259_200,
      },
    });
    expect(config.journeys.map((j) => journeyRegulation(j))).toEqual([
      { critical: true, importantBusinessService: false },
      { critical: false, importantBusinessService: false },
    ]);
  });

  it('resolves every field as written, and keeps the defaults of those left out', () => {
    const config = load(
      withJourneyRegulation('{ importantBusinessService: true, impactTolerance: 4h }', '{ critical: true }') +
        [
          'regulation:',
          '  downtimeBelow: 80%',
          '  dora:',
          '    referenceDays: 28',
          '    clients: { share: 12.5%, absolute: 50000 }',
          '    transactions: { share: 5% }',
          '    duration: 12h',
          '    economicImpact: { amount: 250000, currency: GBP }',
          '    recurringWithin: 90d',
          '',
        ].join('\n'),
    );
    expect(config.regulation).toEqual({
      downtimeBelow: 0.8,
      dora: {
        referenceDays: 28,
        clientsShare: 0.125,
        clientsAbsolute: 50_000,
        transactionsShare: 0.05,
        amountShare: 0.1,
        durationMinutes: 720,
        downtimeMinutes: 120,
        economicImpact: { amount: 250_000, currency: 'GBP' },
        recurringWithinMinutes: 129_600,
      },
    });
    expect(config.journeys.map((j) => j.regulation)).toEqual([
      { critical: true, importantBusinessService: true, impactToleranceMinutes: 240 },
      { critical: true, importantBusinessService: false },
    ]);
  });

  it('a critical-tier journey can be declared not critical', () => {
    const config = load(withJourneyRegulation('{ critical: false }'));
    expect(journeyRegulation(config.journeys[0]!)).toEqual({ critical: false, importantBusinessService: false });
  });

  it.each([
    [
      'regulation:\n  downtimeBelow: 0.5\n',
      'vigil.yaml:9:18: regulation.downtimeBelow: expected a percentage such as 10% or 12.5% (greater than 0, at most 100), got 0.5',
    ],
    [
      'regulation:\n  downtimeBelow: 120%\n',
      "vigil.yaml:9:18: regulation.downtimeBelow: expected a percentage such as 10% or 12.5% (greater than 0, at most 100), got '120%'",
    ],
    [
      'regulation:\n  downtimeBelow: 0%\n',
      "vigil.yaml:9:18: regulation.downtimeBelow: expected a percentage such as 10% or 12.5% (greater than 0, at most 100), got '0%'",
    ],
    [
      'regulation:\n  dora: { referenceDays: 0 }\n',
      'vigil.yaml:9:26: regulation.dora.referenceDays: expected a whole number of days from 1 to 400, got 0',
    ],
    [
      'regulation:\n  dora: { clients: { absolute: 1.5 } }\n',
      'vigil.yaml:9:32: regulation.dora.clients.absolute: expected a whole number ≥ 1, got 1.5',
    ],
    [
      'regulation:\n  dora: { duration: 1.5h }\n',
      "vigil.yaml:9:21: regulation.dora.duration: expected a duration such as 10m, 2h, 35d or 4w, got '1.5h'",
    ],
    [
      'regulation:\n  dora: { recurringWithin: 6 months }\n',
      "vigil.yaml:9:28: regulation.dora.recurringWithin: expected a duration such as 10m, 2h, 35d or 4w, got '6 months'",
    ],
    [
      'regulation:\n  dora: { economicImpact: { amount: 100000, currency: euro } }\n',
      "vigil.yaml:9:55: regulation.dora.economicImpact.currency: expected a three-letter ISO 4217 currency code such as EUR, got 'euro'",
    ],
    ['regulation:\n  dora: { downtme: 2h }\n', 'vigil.yaml:9:11: regulation.dora.downtme: unknown key'],
  ])('refuses %j at its line and column', (section, problem) => {
    const found = problems(JOURNEYS + section);
    expect(found).toHaveLength(1);
    expect(found[0]!.startsWith(problem)).toBe(true);
  });

  it('an important business service needs a tolerance, and a tolerance needs an important business service', () => {
    expect(problems(withJourneyRegulation('{ importantBusinessService: true }'))).toEqual([
      'vigil.yaml:5:17: journeys[0].regulation: missing impactTolerance; an important business service needs one, such as 4h',
    ]);
    expect(problems(withJourneyRegulation('{ impactTolerance: 4h }'))).toEqual([
      'vigil.yaml:5:36: journeys[0].regulation.impactTolerance: impactTolerance applies only to an important business service; ' +
        'set importantBusinessService: true or remove it',
    ]);
  });

  it('an empty section is the regulation defaults, written out', () => {
    expect(load('regulation: {}\n').regulation).toEqual(regulationOf({}));
  });

  it("docs/configuration.md's example is the regulation's defaults written out, and its problems are the ones shown", () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8').split('## `regulation`')[1]!;
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const config = load(example);
    expect(config.regulation).toEqual(regulationOf({}));
    expect(config.journeys[0]!.regulation).toEqual({ critical: true, importantBusinessService: true, impactToleranceMinutes: 240 });
    const shown = /```console\n([\s\S]*?)```/.exec(doc)![1]!.trim().split('\n');
    expect(shown).toEqual([
      problems(`${JOURNEYS}regulation:\n  downtimeBelow: 0.5\n`)[0],
      problems(withJourneyRegulation('{ importantBusinessService: true }'))[0],
    ]);
  });
});
