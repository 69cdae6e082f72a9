/** `corrections` in vigil.yaml (docs/configuration.md ("corrections")): what loads, and each problem at its node. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';
import { yaml } from './test-yaml.js';

const JOURNEYS = yaml`
  version: vigil/v1
  defaults: { timezone: Europe/London }
  journeys:
    - { name: wire-transfer, steps: [{ name: submit }] }
    - { name: statements, steps: [{ name: list }] }
`;

function problems(corrections: string): string[] {
  const result = loadConfigFromString(`${JOURNEYS}corrections:\n${corrections}`, 'vigil.yaml');
  if (result.ok) return [];
  return result.errors.map(formatProblem);
}

describe('corrections in vigil.yaml', () => {
  it('resolves one-off and weekly corrections (the example of docs/configuration.md ("corrections"))', () => {
    const result = loadConfigFromString(
      `${JOURNEYS}${yaml`
        corrections:
          - { name: ledger-upgrade, journeys: [wire-transfer], from: "2026-11-29T01:00:00Z", to: "2026-11-29T03:00:00Z",
              reason: "Announced core-ledger upgrade" }
          - { name: sunday-batch, journeys: [statements], every: "Sun 02:00-04:00" }
          - { name: late, journeys: [statements, wire-transfer], every: "Sat 23:00-01:00" }
      `}`,
      'vigil.yaml',
    );
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.corrections).toEqual([
      {
        name: 'ledger-upgrade',
        journeys: ['wire-transfer'],
        reason: 'Announced core-ledger upgrade',
        source: 'config',
        kind: 'once',
        from: Date.UTC(2026, 10, 29, 1),
        to: Date.UTC(2026, 10, 29, 3),
      },
      {
        name: 'sunday-batch',
        journeys: ['statements'],
        source: 'config',
        kind: 'weekly',
        weekly: { text: 'Sun 02:00-04:00', startMinuteOfWeek: 6 * 1440 + 120, minutes: 120 },
      },
      {
        name: 'late',
        journeys: ['statements', 'wire-transfer'],
        source: 'config',
        kind: 'weekly',
        weekly: { text: 'Sat 23:00-01:00', startMinuteOfWeek: 5 * 1440 + 23 * 60, minutes: 120 },
      },
    ]);
  });

  it('leaves corrections out of a configuration that has none', () => {
    const result = loadConfigFromString(JOURNEYS, 'vigil.yaml');
    expect(result.ok && 'corrections' in result.config).toBe(false);
  });

  it.each([
    ['unknown journey', '  - { name: a, journeys: [wires], every: "Sun 02:00-04:00" }\n', '7:27', "unknown journey 'wires'"],
    [
      'to before from',
      '  - { name: a, journeys: [statements], from: "2026-11-29T03:00:00Z", to: "2026-11-29T01:00:00Z" }\n',
      '7:74',
      'to must be after from',
    ],
    [
      'to equal to from',
      '  - { name: a, journeys: [statements], from: "2026-11-29T03:00:00Z", to: "2026-11-29T03:00:00Z" }\n',
      '7:74',
      'to must be after from',
    ],
    [
      'a bad weekly window',
      '  - { name: a, journeys: [statements], every: "Sunday 2-4" }\n',
      '7:47',
      "expected a weekly window such as 'Sun 02:00-04:00'",
    ],
    ['an hour past 23', '  - { name: a, journeys: [statements], every: "Sun 25:00-04:00" }\n', '7:47', 'expected a weekly window'],
    ['an empty weekly window', '  - { name: a, journeys: [statements], every: "Sun 02:00-02:00" }\n', '7:47', 'is empty'],
    [
      'a time without a zone',
      '  - { name: a, journeys: [statements], from: "2026-11-29T01:00:00", to: "2026-11-29T03:00:00Z" }\n',
      '7:46',
      'RFC 3339',
    ],
    ['no interval at all', '  - { name: a, journeys: [statements] }\n', '7:5', 'missing from; a correction needs from and to, or every'],
    [
      'both weekly and one-off',
      '  - { name: a, journeys: [statements], every: "Sun 02:00-04:00", to: "2026-11-29T03:00:00Z" }\n',
      '7:70',
      'either weekly',
    ],
    ['no journeys', '  - { name: a, journeys: [], every: "Sun 02:00-04:00" }\n', '7:26', 'at least one journey'],
    ['an unknown key', '  - { name: a, journeys: [statements], every: "Sun 02:00-04:00", until: x }\n', '7:66', "unknown key 'until'"],
    [
      'a duplicate name',
      '  - { name: a, journeys: [statements], every: "Sun 02:00-04:00" }\n  - { name: a, journeys: [statements], every: "Mon 02:00-04:00" }\n',
      '8:13',
      "duplicate correction name 'a'",
    ],
  ])('%s: reported at its node', (_name, text, at, fragment) => {
    const lines = problems(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(`vigil.yaml:${at}: `) && lines[0].includes(fragment), lines.join('\n')).toBe(true);
  });
});

describe('docs/configuration.md ("corrections")', () => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## `corrections`'), doc.indexOf('## A directory of files'));

  it('its example loads', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    const result = loadConfigFromString(`${JOURNEYS}${example}`, 'vigil.yaml');
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.corrections?.map((c) => `${c.name} ${c.kind === 'weekly' ? c.weekly.minutes : c.to - c.from}`)).toEqual([
      'ledger-upgrade 7200000',
      'sunday-batch 120',
      'saturday-close 120',
    ]);
  });

  it('shows problems exactly as they are printed', () => {
    const shown = /```console\n([\s\S]*?)```/.exec(section)?.[1]?.trim().split('\n') ?? [];
    expect(shown).toHaveLength(4);
    const printed = [
      '  - { name: a, journeys: [wires], every: "Sun 02:00-04:00" }\n',
      '  - { name: a, journeys: [statements], from: "2026-11-29T03:00:00Z", to: "2026-11-29T01:00:00Z" }\n',
      '  - { name: a, journeys: [statements], every: "Sunday 2-4" }\n',
      '  - { name: a, journeys: [statements], every: "Sun 02:00-04:00" }\n  - { name: a, journeys: [statements], every: "Mon 02:00-04:00" }\n',
    ].flatMap(problems);
    expect(printed).toEqual(shown);
  });
});
