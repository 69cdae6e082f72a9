/** `otel` in vigil.yaml (docs/opentelemetry.md ("Configuration")): defaults, resolution, problems at file:line:col. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';

/** The first yaml block after a heading of a docs page. */
function docExample(page: string, heading: string): string {
  const doc = readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8');
  const block = doc.split(`\n${heading}\n`)[1]?.match(/```yaml\n([\s\S]*?)```/)?.[1];
  if (block === undefined) throw new Error(`no yaml example under ${heading} in docs/${page}`);
  return block;
}

const JOURNEYS = `journeys:
  - name: wire-transfer
    steps: [{ name: initiate, services: [payments-api] }, { name: confirm, services: [core-ledger] }]
  - name: login
    steps: [{ name: authenticate, services: [auth-gateway] }]
`;

function load(text: string) {
  return loadConfigFromString(`version: vigil/v1\n${JOURNEYS}${text}`, 'vigil.yaml');
}

function problems(text: string): string[] {
  const result = load(text);
  return result.ok ? [] : result.errors.map(formatProblem);
}

describe('otel in vigil.yaml', () => {
  it('leaves the section out when unset (the default attributes apply)', () => {
    const result = load('');
    expect(result.ok && 'otel' in result.config).toBe(false);
  });

  it('resolves rules in order and attributes over the defaults', () => {
    const result = load(
      [
        'otel:',
        '  rules:',
        '    - match: { service.name: payments-api, span.name: "/POST .*confirm/" }',
        '      journey: wire-transfer',
        '      step: confirm',
        '    - match: { http.route: /login }',
        '      journey: login',
        '  attributes: { customerId: enduser.id }',
        '',
      ].join('\n'),
    );
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.otel).toEqual({
      rules: [
        { match: { 'service.name': 'payments-api', 'span.name': '/POST .*confirm/' }, journey: 'wire-transfer', step: 'confirm' },
        { match: { 'http.route': '/login' }, journey: 'login' },
      ],
      attributes: { customerId: 'enduser.id', amount: 'vigil.amount', currency: 'vigil.currency' },
    });
    const empty = load('otel: {}\n');
    expect(empty.ok && empty.config.otel).toEqual({
      rules: [],
      attributes: { customerId: 'vigil.customer_id', amount: 'vigil.amount', currency: 'vigil.currency' },
    });
  });

  it('names each problem at its file, line and column', () => {
    expect(
      problems(
        [
          'otel:', // line 7
          '  rules:',
          '    - match: { service.name: payments-api }',
          '      journey: wire-transfers',
          '    - match: { span.name: confirm }',
          '      journey: wire-transfer',
          '      step: confrim',
          '    - match: { span.name: "/(a+)+$/" }',
          '      journey: login',
          '    - match: { span_name: x }',
          '      journey: login',
          '    - match: {}',
          '      journey: login',
          '  attributes: { customerId: "", account: x }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      "vigil.yaml:10:16: otel.rules[0].journey: no journey is named 'wire-transfers' (journeys: login, wire-transfer)",
      "vigil.yaml:13:13: otel.rules[1].step: 'confrim' is not a step of journey 'wire-transfer' (its steps: initiate, confirm)",
      "vigil.yaml:14:27: otel.rules[2].match.span.name: unsafe regular expression '/(a+)+$/': a quantifier applied to a group that " +
        'itself contains a quantifier (at offset 4) can backtrack exponentially',
      // An unknown key leaves the mapping without a known one: both are said.
      'vigil.yaml:16:14: otel.rules[3].match: a rule matches on at least one of service.name, span.name, http.route',
      "vigil.yaml:16:16: otel.rules[3].match.span_name: unknown key 'span_name' (did you mean 'span.name'?); expected one of: " +
        'service.name, span.name, http.route',
      'vigil.yaml:18:14: otel.rules[4].match: a rule matches on at least one of service.name, span.name, http.route',
      "vigil.yaml:20:29: otel.attributes.customerId: expected an attribute name such as enduser.id (1 to 255 characters), got ''",
      "vigil.yaml:20:33: otel.attributes.account: unknown key 'account' (did you mean 'amount'?); expected one of: customerId, amount, currency",
    ]);
  });

  it('the examples of docs/opentelemetry.md ("Rules") and docs/configuration.md ("otel") load as they say', () => {
    const rules = load(docExample('opentelemetry.md', '## Rules'));
    if (!rules.ok) throw new Error(rules.errors.map(formatProblem).join('\n'));
    expect(
      rules.config.otel?.rules.map(
        (r) =>
          `${Object.entries(r.match)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')} → ${r.journey}/${r.step ?? '*'}`,
      ),
    ).toEqual([
      'service.name=payments-api http.route=/transfers → wire-transfer/*',
      'service.name=payments-api span.name=/POST .*\\/confirm/ → wire-transfer/confirm',
      'service.name=/auth-(gateway|proxy)/ span.name=authenticate → login/authenticate',
    ]);
    const section = load(docExample('configuration.md', '## `otel`'));
    if (!section.ok) throw new Error(section.errors.map(formatProblem).join('\n'));
    expect(section.config.otel?.attributes).toEqual({ customerId: 'enduser.id', amount: 'vigil.amount', currency: 'vigil.currency' });
    expect(section.config.otel?.rules).toHaveLength(2);
  });
});
