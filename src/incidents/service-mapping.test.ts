import { describe, expect, it } from 'vitest';
import type { IncomingAlert } from '../model/alert.js';
import type { AlertingSpec } from '../model/config.js';
import { buildJourneyMap } from './journey-map.js';
import { createServiceResolver, resolveService, stagesFor } from './service-mapping.js';
import { stormConfig } from './test-kit.test-suite.js';

const config = stormConfig();
const map = buildJourneyMap(config);
const alerting: AlertingSpec = {
  serviceLabels: ['service', 'service_name', 'app', 'job'],
  correlationWindowMinutes: 10,
  serviceRules: [
    { match: { namespace: 'cards', container: '/issuer-proxy(-[a-z]+)?/' }, service: 'card-issuer-proxy' },
    { match: { alertname: 'LedgerReplicationLag' }, service: 'ledger-db' },
    { match: { alertname: 'LedgerReplicationLag', cluster: 'dr' }, service: 'never-reached' },
    { match: { team: '/pay/' }, service: 'payments-api' },
  ],
};

const incoming = (labels: Record<string, string>, service?: string | null): Pick<IncomingAlert, 'labels' | 'service'> =>
  service === undefined ? { labels } : { labels, service };

describe('resolveService', () => {
  it.each<[string, Pick<IncomingAlert, 'labels' | 'service'>, string | null]>([
    [
      'explicit service wins over rules and labels',
      incoming({ alertname: 'LedgerReplicationLag', service: 'x' }, 'core-ledger'),
      'core-ledger',
    ],
    ['an empty explicit service is no service', incoming({ service: 'fraud-check' }, ''), 'fraud-check'],
    ['a null explicit service falls through', incoming({ app: 'fraud-check' }, null), 'fraud-check'],
    [
      'a rule with every label matching',
      incoming({ namespace: 'cards', container: 'issuer-proxy-west', service: 'sidecar' }),
      'card-issuer-proxy',
    ],
    ['a rule regex matches the whole value', incoming({ namespace: 'cards', container: 'issuer-proxy' }), 'card-issuer-proxy'],
    [
      'a regex matching only part of the value does not match',
      incoming({ namespace: 'cards', container: 'old-issuer-proxy-west', app: 'a' }),
      'a',
    ],
    ['one label of the rule not matching', incoming({ namespace: 'loans', container: 'issuer-proxy', job: 'j' }), 'j'],
    ['a rule label missing never matches, even a regex', incoming({ container: 'issuer-proxy', service: 's' }), 's'],
    ['the first matching rule wins', incoming({ alertname: 'LedgerReplicationLag', cluster: 'dr' }), 'ledger-db'],
    ['a regex rule that needs anchoring', incoming({ team: 'payments' }), null],
    ['a regex rule matching exactly', incoming({ team: 'pay' }), 'payments-api'],
    ['service label first', incoming({ job: 'j', app: 'a', service: 's' }), 's'],
    ['then service_name', incoming({ job: 'j', app: 'a', service_name: 'sn' }), 'sn'],
    ['then app', incoming({ job: 'j', app: 'a' }), 'a'],
    ['then job', incoming({ job: 'j', instance: 'i' }), 'j'],
    ['an empty label is skipped', incoming({ service: '', app: 'a' }), 'a'],
    ['no label at all', incoming({ instance: '10.0.0.1:9100' }), null],
  ])('%s', (_name, alert, expected) => {
    expect(resolveService(alert, alerting)).toBe(expected);
  });

  it('follows the configured serviceLabels order', () => {
    const resolve = createServiceResolver({ serviceLabels: ['job', 'service'], serviceRules: [] });
    expect(resolve({ labels: { service: 's', job: 'j' } })).toBe('j');
    expect(resolve({ labels: { app: 'a' } })).toBe(null);
  });

  it('uses the rules of the storm configuration', () => {
    expect(resolveService({ labels: { namespace: 'cards', container: 'issuer-proxy-north' } }, config.alerting)).toBe('card-issuer-proxy');
  });
});

describe('stagesFor', () => {
  it('gives a technical alert every step that lists its service', () => {
    expect(stagesFor({ source: 'alertmanager', service: 'ledger-db' }, map)).toEqual([
      { journey: 'card-payment', step: 'authorise' },
      { journey: 'sepa-instant', step: 'confirm' },
    ]);
  });

  it('gives no stage to an alert without a service or on a service no journey depends on', () => {
    expect(stagesFor({ source: 'grafana', service: null }, map)).toEqual([]);
    expect(stagesFor({ source: 'generic', service: 'hr-portal' }, map)).toEqual([]);
  });

  it('keeps the stages an SLO alert carries, dropping those the configuration no longer has', () => {
    const stages = [
      { journey: 'login', step: 'mfa' },
      { journey: 'gone', step: null },
    ];
    expect(stagesFor({ source: 'slo', service: null, stages }, map)).toEqual([{ journey: 'login', step: 'mfa' }]);
    expect(stagesFor({ source: 'slo', service: 'identity', stages: [{ journey: 'gone', step: null }] }, map)).toEqual([]);
    expect(stagesFor({ source: 'slo', service: null, stages: [{ journey: 'login', step: null }] }, map)).toEqual([
      { journey: 'login', step: null },
    ]);
  });
});
