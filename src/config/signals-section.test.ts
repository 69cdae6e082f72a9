/** `signals` and `retention.signals` in vigil.yaml (docs/signals.md ("Configuration")): defaults, resolution, problems at file:line:col. */
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';

const JOURNEYS = `journeys:
  - name: statements
    steps: [{ name: view, services: [docs-api] }]
  - name: card-payment
    steps: [{ name: pay, services: [cards-api] }]
`;

async function problems(text: string): Promise<string[]> {
  const result = await loadConfigFromString(`version: vigil/v1\n${JOURNEYS}${text}`, 'vigil.yaml');
  return result.ok ? [] : result.errors.map(formatProblem);
}

describe('signals in vigil.yaml', () => {
  it('leaves the section out when unset (minSpike 10, no keywords, signals kept 400 days apply)', async () => {
    const result = await loadConfigFromString(`version: vigil/v1\n${JOURNEYS}`, 'vigil.yaml');
    expect(result.ok && 'signals' in result.config).toBe(false);
    expect(result.ok && result.config.retention).toEqual({ rawEventsDays: 35 });
  });

  it('resolves keywords per journey in the order written, trimmed and lowercased, with minSpike and retention', async () => {
    const yaml = [
      'signals:',
      '  minSpike: 25',
      '  keywords:',
      '    card-payment: ["Card Declined ", contactless]',
      '    statements: [statement, pdf, download]',
      'retention: { signals: 90d }',
    ];
    const result = await loadConfigFromString(`version: vigil/v1\n${JOURNEYS}${yaml.join('\n')}\n`, 'vigil.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.signals).toEqual({
      minSpike: 25,
      keywords: [
        { journey: 'card-payment', phrases: ['card declined', 'contactless'] },
        { journey: 'statements', phrases: ['statement', 'pdf', 'download'] },
      ],
    });
    expect(result.config.retention).toEqual({ rawEventsDays: 35, signalsDays: 90 });
    const defaults = await loadConfigFromString(
      `version: vigil/v1\n${JOURNEYS}signals: { keywords: { statements: [pdf] } }\n`,
      'vigil.yaml',
    );
    expect(defaults.ok && defaults.config.signals?.minSpike).toBe(10);
  });

  it('names each problem at its file, line and column', async () => {
    expect(await problems('signals:\n  keywords:\n    statments: [pdf]\n')).toEqual([
      "vigil.yaml:9:5: signals.keywords.statments: no journey is named 'statments' (journeys: card-payment, statements)",
    ]);
    const found = await problems('signals:\n  minSpike: 0\n  keywords:\n    statements: []\n    card-payment: ["  "]\n  colour: red\n');
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^vigil\.yaml:8:13: signals\.minSpike: /);
    expect(found.join('\n')).toMatch(/vigil\.yaml:10:17: signals\.keywords\.statements: /);
    expect(found.join('\n')).toMatch(/vigil\.yaml:11:20: signals\.keywords\.card-payment\[0\]: .*letter or digit/);
    expect(found.join('\n')).toMatch(/vigil\.yaml:12:3: signals\.colour: unknown key/);
  });
});
