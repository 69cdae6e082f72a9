/**
 * `vigil export openslo` on the demo bank (docs/openslo.md ("Export", "What maps to what", "The counters")): the objects
 * it writes, checked against figures worked out by hand, and the helpers that name objects and read Vigil's counter queries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VigilConfig } from '../../model/config.js';
import { loadConfigFromString } from '../load.js';
import { ObjectNames, parseCounterQuery, toFraction, toPercent } from './dialect.js';
import { readText } from './documents.js';
import { type ExportedObject, exportOpenSlo } from './export.js';
import { isDnsLabel } from './schema.js';

const loaded = loadConfigFromString(readFileSync(new URL('../../demo/bank.yaml', import.meta.url), 'utf8'), 'bank.yaml');
if (!loaded.ok) throw new Error('the demo bank does not load');
const bank: VigilConfig = loaded.config;
const exported = exportOpenSlo(bank);
const find = (kind: string, name: string): ExportedObject => {
  const found = exported.objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

describe('the demo bank as OpenSLO', () => {
  it('is a Service per journey, an SLO per SLO, an AlertCondition and AlertPolicy per burn-rate pair, two notification targets', () => {
    const count = (kind: string) => exported.objects.filter((o) => o.kind === kind).length;
    expect(count('Service')).toBe(6);
    expect(count('SLO')).toBe(13);
    // 13 SLOs × the four Workbook pairs.
    expect(count('AlertCondition')).toBe(52);
    expect(count('AlertPolicy')).toBe(52);
    expect(count('AlertNotificationTarget')).toBe(2);
    expect(exported.leftOut).toEqual(['services', 'corrections', 'signals']);
  });

  it('reads back as valid OpenSLO v1, one object per document, every name an RFC 1123 label', () => {
    const read = readText(exported.text, 'bank.openslo.yaml');
    expect(read.problems).toEqual([]);
    expect(read.objects).toHaveLength(125);
    for (const object of read.objects)
      expect(object.verdict, JSON.stringify(object.data)).toMatchObject({ ok: true, object: { version: 'openslo/v1' } });
    for (const object of exported.objects) expect(isDnsLabel(object.metadata.name), object.metadata.name).toBe(true);
  });

  it('a Service carries the journey: steps, tier and its objective, owner, value, public name', () => {
    expect(find('Service', 'card-payment')).toEqual({
      apiVersion: 'openslo/v1',
      kind: 'Service',
      metadata: {
        name: 'card-payment',
        displayName: 'Card payment',
        annotations: {
          'vigil/journey': 'card-payment',
          'vigil/tier': 'critical',
          'vigil/tier-objective': '99.99',
          'vigil/owner': 'cards',
          'vigil/steps':
            '[{"name":"screen","services":["card-gateway","fraud-check"]},' +
            '{"name":"authorise","services":["card-gateway","card-issuer-proxy","core-ledger"],"critical":true}]',
          'vigil/value': '{"currency":"GBP","feeRate":0.002}',
          'vigil/public-name': 'Card payments',
        },
      },
      spec: {},
    });
  });

  it('an SLO counts its own events of vigil_slo_events_total, with the SLI defined in annotations', () => {
    const slo = find('SLO', 'sepa-instant-confirm-step');
    expect(slo.metadata.annotations).toEqual({ 'vigil/min-events': '20' });
    expect(slo.spec).toMatchObject({
      service: 'sepa-instant',
      indicator: {
        metadata: { name: 'sepa-instant-confirm-step', annotations: { 'vigil/sli-kind': 'success', 'vigil/step': 'confirm' } },
        spec: {
          ratioMetric: {
            counter: true,
            good: {
              metricSource: {
                type: 'Prometheus',
                spec: { query: 'vigil_slo_events_total{journey="sepa-instant",slo="confirm-step",result="good"}' },
              },
            },
            total: {
              metricSource: { type: 'Prometheus', spec: { query: 'vigil_slo_events_total{journey="sepa-instant",slo="confirm-step"}' } },
            },
          },
        },
      },
      timeWindow: [{ duration: '28d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ targetPercent: 99.99 }],
    });
    expect(slo.spec['alertPolicies']).toEqual([
      { alertPolicyRef: 'sepa-instant-confirm-step-page-5m-1h' },
      { alertPolicyRef: 'sepa-instant-confirm-step-page-30m-6h' },
      { alertPolicyRef: 'sepa-instant-confirm-step-ticket-2h-1d' },
      { alertPolicyRef: 'sepa-instant-confirm-step-ticket-6h-3d' },
    ]);
  });

  it('a calendar month starts at a month boundary in the configured zone; abandoned-as-bad is annotated', () => {
    const slo = find('SLO', 'open-account-completion');
    expect(slo.spec['timeWindow']).toEqual([
      { duration: '1M', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/London' } },
    ]);
    expect(slo.spec['objectives']).toEqual([{ targetPercent: 80 }]);
    expect((slo.spec['indicator'] as { metadata: unknown }).metadata).toEqual({
      name: 'open-account-completion',
      annotations: { 'vigil/sli-kind': 'success', 'vigil/abandoned-is-bad': 'true' },
    });
  });

  it('timeslices: one-minute slices and the slice target as a fraction', () => {
    const slo = find('SLO', 'statements-available');
    expect(slo.spec['budgetingMethod']).toBe('Timeslices');
    expect(slo.spec['objectives']).toEqual([{ targetPercent: 99, timeSliceTarget: 0.99, timeSliceWindow: '1m' }]);
  });

  it.each([
    // factor = budget% × period / 100 / long window (docs/configuration.md ("Alert windows")), worked out by hand:
    ['login-success-page-5m-1h', 'page', '5m', '1h', '2', 13.44], // 2 × 672 h / 100 / 1 h
    ['login-success-page-30m-6h', 'page', '30m', '6h', '5', 5.6], // 5 × 672 / 100 / 6
    ['login-success-ticket-2h-1d', 'ticket', '2h', '1d', '10', 2.8], // 10 × 672 / 100 / 24
    ['login-success-ticket-6h-3d', 'ticket', '6h', '3d', '10', 0.9333333333], // 10 × 672 / 100 / 72
    ['view-balance-success-page-5m-1h', 'page', '5m', '1h', '2', 14.4], // 30 days: 2 × 720 / 100 / 1
    ['open-account-completion-page-5m-1h', 'page', '5m', '1h', '2', 14.4], // a calendar month, written for 30 days
  ])('%s: a %s condition over %s and %s, %s%% of the budget, threshold %d', (name, severity, short, long, percent, threshold) => {
    const condition = find('AlertCondition', name);
    expect(condition.metadata.annotations).toEqual({ 'vigil/short-window': short, 'vigil/budget-percent': percent });
    expect(condition.spec['severity']).toBe(severity);
    expect(condition.spec['condition']).toEqual({ kind: 'burnrate', op: 'gt', threshold, lookbackWindow: long });
    expect(find('AlertPolicy', name).spec).toMatchObject({
      alertWhenBreaching: true,
      conditions: [{ conditionRef: name }],
      notificationTargets: [{ targetRef: `vigil-${severity}` }],
    });
  });
});

describe('names and queries', () => {
  it('object names: as given when an RFC 1123 label not yet taken, else made one with a hash of what the object stands for', () => {
    const names = new ObjectNames();
    expect(names.take('SLO', 'a-b-c', 'a-b/c')).toBe('a-b-c');
    const second = names.take('SLO', 'a-b-c', 'a/b-c');
    expect(second).toMatch(/^a-b-c-[0-9a-f]{8}$/);
    expect(names.take('Service', 'a-b-c', 'a-b-c')).toBe('a-b-c'); // another kind, another namespace
    const long = names.take('SLO', 'x'.repeat(80), 'x');
    expect(long).toHaveLength(63);
    expect(isDnsLabel(long)).toBe(true);
    expect(names.take('Service', '-lead', '-lead')).toMatch(/^lead-[0-9a-f]{8}$/);
    expect(names.take('Service', '--', '--')).toMatch(/^h[0-9a-f]{8}$/);
    // The same key twice (two identical alert windows of one SLO): a second, different name.
    const twice = [names.take('AlertCondition', 'x'.repeat(80), 'same'), names.take('AlertCondition', 'x'.repeat(80), 'same')];
    expect(new Set(twice).size).toBe(2);
    for (const name of twice) expect(name).toMatch(/^x+-[0-9a-f]{8}$/);
  });

  it.each([
    ['vigil_slo_events_total{journey="pay",slo="success",result="good"}', { journey: 'pay', slo: 'success', result: 'good' }],
    [' vigil_slo_events_total { slo = "s", journey = "j" , } ', { journey: 'j', slo: 's' }],
    ['vigil_slo_events_total{journey="j",slo="s",result="bad"}', { journey: 'j', slo: 's', result: 'bad' }],
    ['vigil_slo_events_total{journey="j",slo="s",result="maybe"}', undefined],
    ['vigil_slo_events_total{journey="j"}', undefined],
    ['vigil_slo_events_total{journey="j",slo="s",job="vigil"}', undefined],
    ['vigil_slo_events_total{journey=~"j",slo="s"}', undefined],
    ['vigil_slo_events_total{journey="j",journey="k",slo="s"}', undefined],
    ['sum(vigil_slo_events_total{journey="j",slo="s"})', undefined],
    ['http_requests_total{code="200"}', undefined],
  ])('parseCounterQuery(%s)', (query, expected) => {
    expect(parseCounterQuery(query)).toEqual(expected);
  });

  it.each([
    [99.95, 0.9995],
    [99.99, 0.9999],
    [99.999, 0.99999],
    [80, 0.8],
    [97.25, 0.9725],
    [99.123456, 0.99123456],
  ])('%d%% is the fraction %d and back', (percent, fraction) => {
    expect(toFraction(percent)).toBe(fraction);
    expect(toPercent(fraction)).toBe(percent);
  });
});

describe('an SLO read from Prometheus as OpenSLO', () => {
  const text = `version: vigil/v1
sources:
  prometheus: { url: 'http://prometheus:9090' }
journeys:
  - name: login
    steps: [{ name: submit }]
    slos:
      - name: availability
        objective: 99.5
        sli: { kind: prometheus, bad: 'login_requests_total{code=~"5.."}', total: login_requests_total }
      - name: answered
        objective: 99
        sli: { kind: prometheus, good: 'login_requests_total{code!~"5.."}', total: login_requests_total }
`;
  const result = loadConfigFromString(text, 'vigil.yaml');
  if (!result.ok) throw new Error('the Prometheus example does not load');
  const out = exportOpenSlo(result.config);
  const indicator = (name: string) => (out.objects.find((o) => o.kind === 'SLO' && o.metadata.name === name)!.spec as any).indicator;

  it('exports its own PromQL as the ratio metric (bad or good, and total), with vigil/sli-kind prometheus', () => {
    expect(indicator('login-availability').spec.ratioMetric).toEqual({
      counter: true,
      bad: { metricSource: { type: 'Prometheus', spec: { query: 'login_requests_total{code=~"5.."}' } } },
      total: { metricSource: { type: 'Prometheus', spec: { query: 'login_requests_total' } } },
    });
    expect(indicator('login-answered').spec.ratioMetric.good).toEqual({
      metricSource: { type: 'Prometheus', spec: { query: 'login_requests_total{code!~"5.."}' } },
    });
    expect(indicator('login-availability').metadata.annotations['vigil/sli-kind']).toBe('prometheus');
    expect(out.leftOut).toEqual(['sources']);
    expect(readText(out.text, 'login.openslo.yaml').problems).toEqual([]);
  });
});
