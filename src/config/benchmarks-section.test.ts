/** `benchmarks` and `retention.probes` in vigil.yaml (docs/benchmark.md ("Configuration")): defaults, resolution, problems at file:line:col. */
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';

const JOURNEYS = `journeys:
  - name: login
    steps: [{ name: sign-in, services: [auth-api] }]
  - name: card-payment
    steps: [{ name: pay, services: [cards-api] }]
`;

async function problems(text: string): Promise<string[]> {
  const result = await loadConfigFromString(`version: vigil/v1\n${JOURNEYS}${text}`, 'vigil.yaml');
  return result.ok ? [] : result.errors.map(formatProblem);
}

describe('benchmarks in vigil.yaml', () => {
  it('resolves the documented example with every default applied', async () => {
    const yaml = [
      'benchmarks:',
      '  probes:',
      '    - { name: our-login, owner: self, journey: login, url: "https://bank.example/login", interval: 1m, timeout: 10s,',
      '        expect: { status: 200, bodyContains: "Sign in" } }',
      '    - { name: rival-login, owner: rival-bank, journey: login, url: "https://rival.example/login" }',
      '  statusPages:',
      '    - { owner: rival-bank, url: "https://status.rival.example/", components: [Payments], journey: card-payment }',
      'retention: { probes: 90d }',
    ];
    const result = await loadConfigFromString(`version: vigil/v1\n${JOURNEYS}${yaml.join('\n')}\n`, 'vigil.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.benchmarks).toEqual({
      probes: [
        {
          name: 'our-login',
          owner: 'self',
          journey: 'login',
          url: 'https://bank.example/login',
          method: 'GET',
          intervalMs: 60_000,
          timeoutMs: 10_000,
          expectStatus: 200,
          bodyContains: 'Sign in',
        },
        {
          name: 'rival-login',
          owner: 'rival-bank',
          journey: 'login',
          url: 'https://rival.example/login',
          method: 'GET',
          intervalMs: 60_000,
          timeoutMs: 10_000,
        },
      ],
      statusPages: [{ owner: 'rival-bank', url: 'https://status.rival.example', components: ['Payments'], journey: 'card-payment' }],
    });
    expect(result.config.retention).toEqual({ rawEventsDays: 35, probesDays: 90 });
  });

  it('leaves the section out when unset', async () => {
    const result = await loadConfigFromString(`version: vigil/v1\n${JOURNEYS}`, 'vigil.yaml');
    expect(result.ok && 'benchmarks' in result.config).toBe(false);
  });

  it('names each problem at its file, line and column', async () => {
    const found = await problems(
      [
        'benchmarks:',
        '  probes:',
        '    - { name: a, owner: self, journey: logn, url: "ftp://x.example", interval: 5s, timeout: 1.5s, expect: { status: 700 } }',
        '    - { name: a, owner: Rival, journey: login, url: "https://x.example", method: POST }',
        '  statusPages:',
        '    - { owner: rival, url: "https://s.example", components: [], journey: card }',
      ].join('\n'),
    );
    expect(found).toEqual([
      "vigil.yaml:9:40: benchmarks.probes[0].journey: no journey is named 'logn' (journeys: card-payment, login)",
      "vigil.yaml:9:51: benchmarks.probes[0].url: expected an http:// or https:// URL without credentials, got 'ftp://x.example'",
      "vigil.yaml:9:80: benchmarks.probes[0].interval: expected an interval from 10s to 24h, got '5s'",
      "vigil.yaml:9:93: benchmarks.probes[0].timeout: expected a duration such as 30s, 1m or 2h, got '1.5s'",
      'vigil.yaml:9:117: benchmarks.probes[0].expect.status: expected an HTTP status from 100 to 599, got 700',
      "vigil.yaml:10:15: benchmarks.probes[1].name: duplicate probe name 'a' (first at line 9)",
      "vigil.yaml:10:25: benchmarks.probes[1].owner: expected a name of lowercase letters, digits and '-', got 'Rival'",
      "vigil.yaml:10:82: benchmarks.probes[1].method: expected 'GET' or 'HEAD', got 'POST'",
      'vigil.yaml:12:61: benchmarks.statusPages[0].components: expected a list of component names, got an empty list',
      "vigil.yaml:12:74: benchmarks.statusPages[0].journey: no journey is named 'card' (journeys: card-payment, login)",
    ]);
    expect(await problems('benchmarks:\n  probes:\n    - { name: a, owner: self, journey: logn, url: "https://x.example" }\n')).toEqual([
      "vigil.yaml:9:40: benchmarks.probes[0].journey: no journey is named 'logn' (journeys: card-payment, login)",
    ]);
    const dup = await problems(
      [
        'benchmarks:',
        '  probes:',
        '    - { name: a, owner: self, journey: login, url: "https://x.example" }',
        '    - { name: a, owner: b, journey: login, url: "https://y.example" }',
        '',
      ].join('\n'),
    );
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatch(/^vigil\.yaml:10:\d+: benchmarks\.probes\[1\]\.name: duplicate probe name 'a'/);
  });
});
