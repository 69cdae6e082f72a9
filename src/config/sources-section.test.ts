/** `sources` and SLIs of kind `prometheus` in vigil.yaml (docs/configuration.md ("sources"), ("SLI source")). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';

const SOURCE = 'sources:\n  prometheus:\n    url: http://prometheus:9090/\n';

function load(sli: string, sources = SOURCE) {
  const text = `version: vigil/v1
${sources}journeys:
  - name: login
    steps: [{ name: submit }]
    slos:
      - name: availability
        sli: ${sli}
`;
  return loadConfigFromString(text, 'vigil.yaml');
}

function problems(sli: string, sources = SOURCE): string[] {
  const result = load(sli, sources);
  return result.ok ? [] : result.errors.map(formatProblem);
}

describe('SLIs of kind prometheus', () => {
  it('resolves the queries, the source and the defaults of sources.prometheus', () => {
    const result = load("{ kind: prometheus, bad: 'errors_total{code=~\"5..\"}', total: ' requests_total ' }");
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.journeys[0]!.slos[0]!.sli).toEqual({
      source: 'prometheus',
      kind: 'prometheus',
      prometheus: { bad: 'errors_total{code=~"5.."}', total: 'requests_total' },
      abandonedIsBad: false,
    });
    expect(result.config.sources).toEqual({ prometheus: { url: 'http://prometheus:9090', timeoutMs: 10_000, settleMinutes: 2 } });
  });

  it('reads every key of sources.prometheus', () => {
    const result = load(
      '{ kind: prometheus, good: ok_total, total: all_total }',
      'sources:\n  prometheus:\n    url: https://prom.bank.example\n    bearerTokenEnv: PROM_TOKEN\n    timeout: 30s\n    settle: 5m\n    step: 1m\n',
    );
    expect(result.ok && result.config.sources).toEqual({
      prometheus: { url: 'https://prom.bank.example', bearerTokenEnv: 'PROM_TOKEN', timeoutMs: 30_000, settleMinutes: 5 },
    });
  });

  it.each([
    [
      'good and bad both',
      '{ kind: prometheus, good: a_total, bad: b_total, total: c_total }',
      SOURCE,
      ['vigil.yaml:10:49: journeys[0].slos[0].sli.bad: give good or bad, not both: the other is total minus it'],
    ],
    [
      'no total',
      '{ kind: prometheus, good: a_total }',
      SOURCE,
      ['vigil.yaml:10:22: journeys[0].slos[0].sli.kind: missing total: a PromQL query of all the events counted'],
    ],
    [
      'neither good nor bad',
      '{ kind: prometheus, total: a_total }',
      SOURCE,
      ['vigil.yaml:10:22: journeys[0].slos[0].sli.kind: missing good (or bad): a PromQL query of the good (or bad) events'],
    ],
    [
      'a field of event SLIs',
      '{ kind: prometheus, good: a_total, total: b_total, thresholdMs: 100 }',
      SOURCE,
      [
        "vigil.yaml:10:65: journeys[0].slos[0].sli.thresholdMs: thresholdMs applies to SLIs counted from events, not to kind 'prometheus'; remove it",
      ],
    ],
    [
      'a query on another kind',
      '{ kind: success, total: b_total }',
      SOURCE,
      ["vigil.yaml:10:31: journeys[0].slos[0].sli.total: total is a PromQL query of kind 'prometheus'; remove it or set kind: prometheus"],
    ],
    [
      'no sources.prometheus',
      '{ kind: prometheus, good: a_total, total: b_total }',
      '',
      [
        "vigil.yaml:7:22: journeys[0].slos[0].sli.kind: kind 'prometheus' needs sources.prometheus.url, the Prometheus server to read it from",
      ],
    ],
    [
      'sources.prometheus without url',
      '{ kind: prometheus, good: a_total, total: b_total }',
      'sources:\n  prometheus: { timeout: 5s }\n',
      [
        'vigil.yaml:3:15: sources.prometheus.url: missing; expected an http:// or https:// URL',
        "vigil.yaml:9:22: journeys[0].slos[0].sli.kind: kind 'prometheus' needs sources.prometheus.url, the Prometheus server to read it from",
      ],
    ],
    [
      'an empty query',
      "{ kind: prometheus, good: '  ', total: b_total }",
      SOURCE,
      ["vigil.yaml:10:40: journeys[0].slos[0].sli.good: expected a PromQL expression, got ''"],
    ],
  ])('%s', (_name, sli, sources, expected) => {
    expect(problems(sli, sources)).toEqual(expected);
  });

  it('the example of docs/configuration.md ("SLI source") loads', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const example = doc.split('\n### SLI source\n')[1]?.match(/```yaml\n([\s\S]*?)```/)?.[1];
    const result = loadConfigFromString(`version: vigil/v1\n${example}`, 'vigil.yaml');
    expect(result.ok ? result.config.journeys[0]!.slos[0]!.sli.prometheus : result.errors.map(formatProblem)).toEqual({
      bad: 'login_requests_total{code=~"5.."}',
      total: 'login_requests_total',
    });
  });
});
