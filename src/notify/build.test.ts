import { describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import type { VigilConfig } from '../model/config.js';
import type { Incident, Priority } from '../model/incident.js';
import { buildNotifications, type IncidentChange } from './build.js';
import { targetsFor } from './routing.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');

function config(notifications: string): VigilConfig {
  const result = loadConfigFromString(`version: vigil/v1\ndefaults: { timezone: Europe/London }\n${notifications}`, 'vigil.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const BANK = config(`notifications:
  externalUrl: https://vigil.bank.example
  targets:
    - { name: oncall, type: pagerduty, routingKey: R0123456789abcdef0123456789abcdef, minPriority: P2 }
    - { name: payments-slack, type: slack, url: "https://hooks.slack.com/services/T0/B0/XYZ" }
    - { name: itsm, type: webhook, url: "https://itsm.bank.example/hooks/vigil", minPriority: P4 }
`);

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-20261126-0001',
    status: 'open',
    priority: 'P1',
    reason: 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 31× the sustainable rate)',
    title: 'Wire transfer: confirm failing',
    journeys: ['wire-transfer'],
    stages: [
      { journey: 'wire-transfer', step: 'confirm' },
      { journey: 'wire-transfer', step: null },
    ],
    services: ['core-ledger', 'payments-api'],
    alertKeys: ['alertmanager:aa01', 'alertmanager:aa02', 'slo:wire-transfer/success/page'],
    alertCount: 3,
    lastAlertAt: NOW - 60_000,
    openedAt: Date.parse('2026-11-26T09:58:30Z'),
    acknowledgedAt: null,
    resolvedAt: null,
    paged: true,
    impact: {
      customerImpact: true,
      maxBurnRate: 31.2,
      customersAffected: 2140,
      failuresPerHour: 8450,
      valueAtRiskPerHour: [{ amount: 38_025, currency: 'EUR' }],
      tier: 'critical',
      criticalStage: true,
      assessedAt: NOW - 30_000,
    },
    mergedFrom: [],
    mergedInto: null,
    timeline: [],
    ...overrides,
  };
}

let counter = 0;
const newId = () => `msg-${++counter}`;
const build = (i: Incident, change: IncidentChange, c: VigilConfig = BANK) => buildNotifications(i, change, c, NOW, newId);
const payloadOf = (messages: ReturnType<typeof build>, target: string) => JSON.parse(messages.find((m) => m.target === target)!.payload);

describe('routing: which targets hear about which priority', () => {
  const cases: { priority: Priority; routing?: string; targets: string[] }[] = [
    { priority: 'P1', targets: ['oncall', 'payments-slack', 'itsm'] },
    { priority: 'P2', targets: ['oncall', 'payments-slack', 'itsm'] },
    { priority: 'P3', targets: ['payments-slack', 'itsm'] },
    // P4 routes to none by default: even a target with minPriority P4 hears nothing.
    { priority: 'P4', targets: [] },
    { priority: 'P4', routing: '{ P4: ticket }', targets: ['itsm'] },
    { priority: 'P1', routing: '{ P1: none }', targets: [] },
  ];
  for (const c of cases) {
    it(`${c.priority}${c.routing ? ` with routing ${c.routing}` : ''} → ${c.targets.join(', ') || 'nobody'}`, () => {
      const spec = c.routing
        ? { ...BANK.notifications!, routing: config(`notifications: { routing: ${c.routing} }\n`).notifications!.routing }
        : BANK.notifications!;
      expect(targetsFor(c.priority, spec).map((t) => t.name)).toEqual(c.targets);
      expect(build(incident({ priority: c.priority }), 'opened', { ...BANK, notifications: spec }).map((m) => m.target)).toEqual(c.targets);
    });
  }

  it('no notifications section: nothing is sent', () => {
    expect(build(incident(), 'opened', config(''))).toEqual([]);
  });
});

describe('buildNotifications', () => {
  it('makes one due, undelivered message per target, keyed by the incident id', () => {
    const messages = build(incident(), 'opened');
    expect(messages.map(({ payload: _payload, id: _id, ...rest }) => rest)).toEqual(
      ['oncall', 'payments-slack', 'itsm'].map((target) => ({
        target,
        dedupKey: 'inc-20261126-0001',
        createdAt: NOW,
        attempts: 0,
        nextAttemptAt: NOW,
        deliveredAt: null,
        lastError: null,
      })),
    );
    expect(new Set(messages.map((m) => m.id)).size).toBe(3);
  });

  it('generic webhook: the incident summary with customers, value at risk and a link', () => {
    expect(payloadOf(build(incident(), 'opened'), 'itsm')).toEqual({
      version: 2,
      event: 'incident.opened',
      dedupKey: 'inc-20261126-0001',
      routing: 'page',
      summary:
        'P1 incident opened: wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 31× the sustainable rate)',
      sentAt: '2026-11-26T10:00:30.000Z',
      incident: {
        id: 'inc-20261126-0001',
        status: 'open',
        priority: 'P1',
        reason: 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 31× the sustainable rate)',
        title: 'Wire transfer: confirm failing',
        journeys: ['wire-transfer'],
        stages: [
          { journey: 'wire-transfer', step: 'confirm' },
          { journey: 'wire-transfer', step: null },
        ],
        services: ['core-ledger', 'payments-api'],
        alertCount: 3,
        customerImpact: true,
        customersAffected: 2140,
        valueAtRiskPerHour: [{ amount: 38_025, currency: 'EUR' }],
        maxBurnRate: 31.2,
        openedAt: '2026-11-26T09:58:30.000Z',
        acknowledgedAt: null,
        resolvedAt: null,
        mergedInto: null,
      },
      links: { incident: 'https://vigil.bank.example/api/v1/incidents/inc-20261126-0001' },
    });
  });

  it('Slack: a readable text line and blocks with the figures, escaped for mrkdwn', () => {
    const slack = payloadOf(build(incident({ title: 'Ledger <timeouts> & retries' }), 'opened'), 'payments-slack');
    expect(slack.text).toBe(
      ':rotating_light: P1 incident opened: wire-transfer confirm step failing for 2,140 customers, €38k/h at risk ' +
        '(critical tier, burn 31× the sustainable rate)',
    );
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'P1 · Ledger <timeouts> & retries', emoji: true },
    });
    expect(slack.blocks[1].text.text).toMatch(/^:rotating_light: \*Opened\*: wire-transfer confirm step/);
    expect(slack.blocks[2].fields.map((f: { text: string }) => f.text)).toEqual([
      '*Priority*\nP1 (page)',
      '*Status*\nopen',
      '*Journeys*\nwire-transfer',
      '*Stages*\nwire-transfer › confirm, wire-transfer',
      '*Customers affected*\n2,140',
      '*Value at risk*\n€38k/h',
      '*Alerts*\n3',
      '*Services*\ncore-ledger, payments-api',
    ]);
    expect(slack.blocks[3]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            'Vigil incident `inc-20261126-0001` · opened 26 Nov 2026, 09:58 (Europe/London) · ' +
            '<https://vigil.bank.example/api/v1/incidents/inc-20261126-0001|Open in Vigil>',
        },
      ],
    });
    const escaped = payloadOf(build(incident({ reason: 'auth <gateway> & identity' }), 'resolved'), 'payments-slack');
    expect(escaped.text).toBe(':white_check_mark: P1 incident resolved: auth &lt;gateway&gt; &amp; identity');
  });

  it('Slack without externalUrl: no link (Slack cannot follow a relative one)', () => {
    const local = config(`notifications:\n  targets: [ { name: s, type: slack, url: "https://hooks.slack.com/x" } ]\n`);
    const slack = payloadOf(build(incident({ impact: null }), 'escalated', local), 's');
    expect(slack.blocks[3].elements[0].text).toBe('Vigil incident `inc-20261126-0001` · opened 26 Nov 2026, 09:58 (Europe/London)');
    expect(slack.blocks[2].fields[4].text).toBe('*Customers affected*\nnot assessed');
    expect(slack.text).toMatch(/^:arrow_double_up: P1 incident escalated: /);
  });

  it('PagerDuty trigger: routing key, dedup key, severity from priority, summary within 1,024 characters', () => {
    const event = payloadOf(build(incident({ priority: 'P2', reason: 'x'.repeat(2000) }), 'opened'), 'oncall');
    expect(event).toMatchObject({
      routing_key: 'R0123456789abcdef0123456789abcdef',
      event_action: 'trigger',
      dedup_key: 'inc-20261126-0001',
      payload: {
        source: 'core-ledger, payments-api',
        severity: 'error',
        timestamp: '2026-11-26T10:00:30.000Z',
        component: 'core-ledger',
        group: 'wire-transfer',
        class: 'customer-impact',
        custom_details: {
          incident: 'inc-20261126-0001',
          priority: 'P2',
          routing: 'page',
          customers_affected: '2,140',
          value_at_risk: '€38k/h',
          alerts: 3,
        },
      },
      client: 'Vigil',
      client_url: 'https://vigil.bank.example/api/v1/incidents/inc-20261126-0001',
    });
    expect(event.payload.summary).toHaveLength(1024);
    expect(event.payload.summary.endsWith('…')).toBe(true);
  });

  const severities: [Priority, string][] = [
    ['P1', 'critical'],
    ['P2', 'error'],
    ['P3', 'warning'],
    ['P4', 'info'],
  ];
  for (const [priority, severity] of severities) {
    it(`PagerDuty severity of ${priority} is ${severity}`, () => {
      const allRoutes = config(
        `notifications:\n  routing: { P4: page }\n  targets: [ { name: pd, type: pagerduty, routingKey: k, minPriority: P4 } ]\n`,
      );
      expect(payloadOf(build(incident({ priority }), 'opened', allRoutes), 'pd').payload.severity).toBe(severity);
    });
  }

  it('PagerDuty acknowledge and resolve carry only the action and the same dedup key', () => {
    expect(payloadOf(build(incident({ status: 'acknowledged' }), 'acknowledged'), 'oncall')).toEqual({
      routing_key: 'R0123456789abcdef0123456789abcdef',
      event_action: 'acknowledge',
      dedup_key: 'inc-20261126-0001',
    });
    expect(payloadOf(build(incident({ status: 'resolved' }), 'resolved'), 'oncall')).toEqual({
      routing_key: 'R0123456789abcdef0123456789abcdef',
      event_action: 'resolve',
      dedup_key: 'inc-20261126-0001',
    });
  });

  it('a merged incident says where it went', () => {
    const hook = payloadOf(build(incident({ status: 'resolved', mergedInto: 'inc-20261126-0000' }), 'resolved'), 'itsm');
    expect(hook.summary).toMatch(/^P1 incident resolved \(merged into inc-20261126-0000\): /);
    expect(hook.incident.mergedInto).toBe('inc-20261126-0000');
  });
});
