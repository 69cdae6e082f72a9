// Every target type delivered by the real outbox worker from a real store to a local receiver that checks the real service's payload shape.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkOpsgenie,
  checkPagerDuty,
  checkSlack,
  checkTeams,
  type NotificationReceivers,
  startNotificationReceivers,
} from '../../test/helpers/notification-receivers.js';
import { loadConfigFromString } from '../config/load.js';
import type { VigilConfig } from '../model/config.js';
import type { Incident } from '../model/incident.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { buildNotifications, type IncidentChange } from './build.js';
import { catchUpNotifications, heardBy } from './catch-up.js';
import { OPSGENIE_LIMITS } from './opsgenie.js';
import { OutboxWorker } from './outbox-worker.js';
import { requestFor } from './request.js';
import { notificationsOf, targetsForIncident } from './routing.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const GENIE_KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';

const JOURNEYS = `
services:
  - { name: core-ledger, owner: ledger-team }
  - { name: fraud-check, owner: fraud-team }
journeys:
  - name: wire-transfer
    owner: payments
    tier: critical
    steps: [{ name: confirm, services: [core-ledger] }]
    slos: [{ name: success, sli: { kind: success }, objective: 99.9, window: 28d }]
  - name: mortgage
    owner: lending
    tier: core
    steps: [{ name: apply, services: [fraud-check] }]
    slos: [{ name: success, sli: { kind: success }, objective: 99.5, window: 28d }]
`;

function config(targets: string): VigilConfig {
  const head = 'version: vigil/v1\ndefaults: { timezone: Europe/London }\n';
  const text = `${head}${JOURNEYS}\nnotifications:\n  externalUrl: https://vigil.bank.example\n  targets:\n${targets}`;
  const result = loadConfigFromString(text, 'vigil.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: `inc-${randomUUID().slice(0, 8)}`,
    status: 'open',
    priority: 'P1',
    reason: `wire-transfer confirm step failing for 2,140 customers, €38k/h at risk ${'(critical tier, burn 31× the sustainable rate) '.repeat(4)}`,
    title: 'Wire transfer: confirm failing',
    journeys: ['wire-transfer'],
    stages: [{ journey: 'wire-transfer', step: 'confirm' }],
    services: ['core-ledger'],
    alertKeys: ['alertmanager:aa01', 'slo:wire-transfer/success/page'],
    alertCount: 2,
    lastAlertAt: NOW - 60_000,
    openedAt: NOW - 120_000,
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

let receivers: NotificationReceivers;
let store: Store;
beforeAll(async () => {
  receivers = await startNotificationReceivers();
  store = await openStore(':memory:');
});
afterAll(async () => {
  await receivers?.close();
  await store?.close();
});

function everyTarget(): VigilConfig {
  const u = receivers.urls;
  return config(`    - { name: oncall, type: pagerduty, url: "${u.pagerduty}", routingKey: R0123456789abcdef0123456789abcde, minPriority: P2 }
    - { name: payments-slack, type: slack, url: "${u.slack}" }
    - { name: payments-teams, type: teams, url: "${u.teams}", match: { journeyOwners: [payments] } }
    - { name: ledger-opsgenie, type: opsgenie, url: "${u.opsgenie}", apiKey: ${GENIE_KEY}, match: { serviceOwners: [ledger-team] } }
    - { name: itsm, type: webhook, url: "${u.webhook}", minPriority: P4 }
`);
}

/** Put the messages in the store's outbox with the incident, as the incident manager does, and deliver them. */
async function deliver(i: Incident, change: IncidentChange, cfg: VigilConfig, note?: string): Promise<string[]> {
  const messages = buildNotifications(i, change, cfg, NOW, randomUUID, undefined, note);
  await store.alerting.saveAlerting({ alerts: [], incidents: [i], outbox: messages });
  const warnings: string[] = [];
  const worker = new OutboxWorker({
    store: store.alerting,
    targets: notificationsOf(cfg).targets,
    clock: () => NOW,
    log: { warn: (m) => warnings.push(m) },
  });
  await worker.deliverDue();
  expect(warnings).toEqual([]);
  return messages.map((m) => m.target);
}

describe('every target against a receiver that checks the real service', () => {
  it('opens, escalates, acknowledges and resolves on all five; each request has the shape its service accepts', async () => {
    const cfg = everyTarget();
    const i = incident();
    const from = receivers.received.length;
    for (const change of ['opened', 'escalated', 'acknowledged', 'resolved'] as const) {
      expect(await deliver(i, change, cfg)).toEqual(['oncall', 'payments-slack', 'payments-teams', 'ledger-opsgenie', 'itsm']);
    }
    const got = receivers.received.slice(from);
    expect(got.flatMap((r) => r.problems)).toEqual([]);
    expect(got.map((r) => r.service).sort()).toEqual(
      ['pagerduty', 'slack', 'teams', 'opsgenie', 'webhook'].flatMap((s) => [s, s, s, s]).sort(),
    );
    const genie = got.filter((r) => r.service === 'opsgenie');
    expect(genie.map((r) => r.path)).toEqual([
      '/v2/alerts',
      '/v2/alerts',
      `/v2/alerts/${i.id}/acknowledge?identifierType=alias`,
      `/v2/alerts/${i.id}/close?identifierType=alias`,
    ]);
    for (const r of genie) expect(r.headers.authorization).toBe(`GenieKey ${GENIE_KEY}`);
    const created = genie[0]!.body as { message: string; alias: string; priority: string; tags: string[] };
    expect(created.alias).toBe(i.id);
    expect(created.priority).toBe('P1');
    expect(created.message.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.message);
    expect(created.tags).toEqual(['vigil', 'P1', 'page', 'journey:wire-transfer', 'service:core-ledger']);
    const card = (got.find((r) => r.service === 'teams')!.body as { attachments: { content: { body: { text?: string }[] } }[] })
      .attachments[0]!.content;
    expect(card.body[0]!.text).toMatch(/^P1 incident opened: wire-transfer confirm step failing/);
    expect(got.filter((r) => r.service === 'pagerduty').map((r) => (r.body as { event_action: string }).event_action)).toEqual([
      'trigger',
      'trigger',
      'acknowledge',
      'resolve',
    ]);
  });

  it('an impact-tolerance warning and breach reach all five, in the words of the timeline (docs/impact-tolerances.md)', async () => {
    const cfg = everyTarget();
    const i = incident();
    const from = receivers.received.length;
    const warning =
      'Wire transfer disrupted for half its 4 h impact tolerance (since 26 Nov 2026, 08:00 (Europe/London)); ' +
      'it breaches at 26 Nov 2026, 12:00 (Europe/London) unless restored';
    const breach =
      'Impact tolerance breached: Wire transfer disrupted longer than its 4 h tolerance (since 26 Nov 2026, 08:00 (Europe/London))';
    expect(await deliver(i, 'tolerance_warning', cfg, warning)).toEqual([
      'oncall',
      'payments-slack',
      'payments-teams',
      'ledger-opsgenie',
      'itsm',
    ]);
    expect(await deliver(i, 'tolerance_breached', cfg, breach)).toEqual([
      'oncall',
      'payments-slack',
      'payments-teams',
      'ledger-opsgenie',
      'itsm',
    ]);
    const got = receivers.received.slice(from);
    expect(got.flatMap((r) => r.problems)).toEqual([]);
    const of = (service: string) => got.filter((r) => r.service === service).map((r) => r.body as Record<string, unknown>);
    // Opsgenie: a note on the open alert, not a new alert.
    expect(got.filter((r) => r.service === 'opsgenie').map((r) => r.path)).toEqual([
      `/v2/alerts/${i.id}/notes?identifierType=alias`,
      `/v2/alerts/${i.id}/notes?identifierType=alias`,
    ]);
    expect(of('opsgenie').map((b) => b['note'])).toEqual([`P1 incident: ${warning}`, `P1 incident: ${breach}`]);
    // PagerDuty: a trigger with the same dedup key updates the open alert's summary.
    expect(of('pagerduty').map((b) => [b['event_action'], b['dedup_key'], (b['payload'] as { summary: string }).summary])).toEqual([
      ['trigger', i.id, `P1 incident: ${warning}`],
      ['trigger', i.id, `P1 incident: ${breach}`],
    ]);
    expect(of('webhook').map((b) => [b['event'], b['summary']])).toEqual([
      ['incident.tolerance_warning', `P1 incident: ${warning}`],
      ['incident.tolerance_breached', `P1 incident: ${breach}`],
    ]);
    expect(of('slack').map((b) => b['text'])).toEqual([
      `:hourglass_flowing_sand: P1 incident: ${warning}`,
      `:no_entry: P1 incident: ${breach}`,
    ]);
    const cards = of('teams').map(
      (b) => (b as { attachments: { content: { body: { color?: string; text?: string }[] } }[] }).attachments[0]!.content.body[0]!,
    );
    expect(cards).toEqual([
      expect.objectContaining({ text: `P1 incident: ${warning}`, color: 'Warning' }),
      expect.objectContaining({ text: `P1 incident: ${breach}`, color: 'Attention' }),
    ]);
  });

  it('no key or webhook URL is written to the outbox payloads', async () => {
    const cfg = everyTarget();
    const messages = buildNotifications(incident(), 'opened', cfg, NOW, randomUUID);
    for (const m of messages) {
      expect(m.payload).not.toContain(GENIE_KEY);
      expect(m.payload).not.toContain(receivers.urls.slack);
      expect(m.payload).not.toContain(receivers.urls.teams);
    }
  });

  it('a long reason and many services stay within every limit', async () => {
    const cfg = everyTarget();
    const many = Array.from({ length: 40 }, (_, n) => `service-with-a-rather-long-name-${n}`);
    const big = incident({ reason: 'x'.repeat(20_000), title: 'y'.repeat(500), services: ['core-ledger', ...many] });
    const from = receivers.received.length;
    await deliver(big, 'opened', cfg);
    expect(receivers.received.slice(from).flatMap((r) => r.problems)).toEqual([]);
  });
});

describe('the receiver refuses what the real services refuse (so the test above can fail)', () => {
  it('Opsgenie: no key, a 131-character message, a P0, 21 tags, an unknown field', () => {
    const body = { message: 'm'.repeat(131), priority: 'P0', tags: Array.from({ length: 21 }, () => 't'), colour: 'red' };
    expect(checkOpsgenie('POST', '/v2/alerts', undefined, body)).toEqual([
      'Authorization: GenieKey <api key>',
      "create alert: unknown field 'colour'",
      'message: a string of at most 130 characters',
      'priority: P1 to P5',
      'tags: at most 20 strings of at most 50 characters',
    ]);
    expect(checkOpsgenie('POST', '/v2/alerts/inc-1/close?identifierType=name', 'GenieKey k', {})).toEqual([
      'identifierType: id, alias or tiny',
    ]);
    expect(checkOpsgenie('POST', '/v2/alerts/inc-1/notes?identifierType=alias', 'GenieKey k', { user: 'Vigil' })).toEqual([
      'note: required to add a note',
    ]);
  });

  it('Teams: a card without version, Slack: a 151-character header, PagerDuty: a short key and no summary', () => {
    const card = {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }],
    };
    expect(checkTeams(card, 100)).toEqual([
      'attachments[0].content.version: a string 1.0 to 1.5 (Teams supports up to 1.5)',
      'attachments[0].content.body: a non-empty array',
    ]);
    expect(checkSlack({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] })).toEqual([
      'blocks[0].text.text: 1 to 150 characters',
    ]);
    expect(checkPagerDuty({ routing_key: 'short', event_action: 'trigger', payload: { source: 's', severity: 'critical' } })).toEqual([
      'routing_key: the 32-character integration key',
      'payload.summary: 1 to 1024 characters',
    ]);
  });
});

describe('routing by journey, journey owner and service owner', () => {
  const cfg = config(`    - { name: payments-teams, type: teams, url: "https://t.example/a", match: { journeyOwners: [payments] } }
    - { name: fraud-genie, type: opsgenie, apiKey: k, match: { serviceOwners: [fraud-team], priorities: [P1, P2] } }
    - { name: mortgage-slack, type: slack, url: "https://s.example/b", match: { journeys: [mortgage] } }
    - { name: everyone, type: webhook, url: "https://w.example/c" }
`);
  const names = (i: Incident) => targetsForIncident(i, cfg).map((t) => t.name);

  it('a wire-transfer incident on core-ledger goes to payments and to the catch-all', () => {
    expect(names(incident())).toEqual(['payments-teams', 'everyone']);
  });

  it('a mortgage P1 on fraud-check goes to the fraud team and the mortgage channel; a P3 not to the fraud team', () => {
    const mortgage = incident({ journeys: ['mortgage'], stages: [{ journey: 'mortgage', step: 'apply' }], services: ['fraud-check'] });
    expect(names(mortgage)).toEqual(['fraud-genie', 'mortgage-slack', 'everyone']);
    expect(names({ ...mortgage, priority: 'P3' })).toEqual(['mortgage-slack', 'everyone']);
  });

  it('an incident touching both journeys reaches every owner', () => {
    expect(names(incident({ journeys: ['wire-transfer', 'mortgage'], services: ['core-ledger', 'fraud-check'] }))).toEqual([
      'payments-teams',
      'fraud-genie',
      'mortgage-slack',
      'everyone',
    ]);
  });

  it('Opsgenie defaults to the US API; the EU one is a url away', () => {
    const eu = config(
      `    - { name: g, type: opsgenie, apiKey: k, url: "https://api.eu.opsgenie.com/" }\n    - { name: us, type: opsgenie, apiKey: k }\n`,
    );
    expect(notificationsOf(eu).targets.map((t) => t.url)).toEqual(['https://api.eu.opsgenie.com', 'https://api.opsgenie.com']);
  });
});

describe('a target added while incidents are open', () => {
  const before = config(`    - { name: oncall, type: pagerduty, routingKey: R0123456789abcdef0123456789abcde }\n`);
  const after = config(`    - { name: oncall, type: pagerduty, routingKey: R0123456789abcdef0123456789abcde }
    - { name: ledger-genie, type: opsgenie, apiKey: k, match: { serviceOwners: [ledger-team] } }
    - { name: lending-teams, type: teams, url: "https://t.example/x", match: { journeyOwners: [lending] } }
`);

  it('reads who heard from the notified timeline entries', () => {
    const i = incident({
      timeline: [
        { at: NOW, kind: 'notified', message: 'opened: notified oncall, payments-slack' },
        { at: NOW, kind: 'notified', message: 'opened: notified ledger-genie (target added while open)' },
        { at: NOW, kind: 'acknowledged', message: 'acknowledged by ana' },
      ],
    });
    expect([...heardBy(i)]).toEqual(['oncall', 'payments-slack', 'ledger-genie']);
  });

  it('hears about open incidents it matches, once; resolved, merged and unmatched ones stay quiet', () => {
    const open = incident({ timeline: [{ at: NOW, kind: 'notified', message: 'opened: notified oncall' }] });
    const resolved = incident({ status: 'resolved', resolvedAt: NOW });
    const merged = incident({ mergedInto: 'inc-other' });
    expect(catchUpNotifications([open, resolved, merged], before, NOW, randomUUID)).toEqual([]);
    const due = catchUpNotifications([open, resolved, merged], after, NOW, randomUUID);
    expect(due.map((d) => [d.incident.id, d.messages.map((m) => m.target)])).toEqual([[open.id, ['ledger-genie']]]);
    // Once it is in the timeline, a later start-up or reload sends nothing more.
    open.timeline.push({ at: NOW, kind: 'notified', message: 'opened: notified ledger-genie (target added while open)' });
    expect(catchUpNotifications([open], after, NOW, randomUUID)).toEqual([]);
  });
});

describe('the request for an outbox message', () => {
  const genie = { name: 'g', type: 'opsgenie' as const, url: 'https://api.eu.opsgenie.com', apiKey: 'k-1', minPriority: 'P3' as const };
  const message = (payload: string) => ({
    id: 'm-1',
    target: 'g',
    dedupKey: 'inc-1',
    payload,
    createdAt: NOW,
    attempts: 0,
    nextAttemptAt: NOW,
    deliveredAt: null,
    lastError: null,
  });

  it('Opsgenie: the path under the configured API URL, the key only in the header', () => {
    const request = requestFor(genie, message(JSON.stringify({ path: '/v2/alerts', body: { message: 'm' } })));
    expect([request.url, request.headers['authorization'], request.body]).toEqual([
      'https://api.eu.opsgenie.com/v2/alerts',
      'GenieKey k-1',
      '{"message":"m"}',
    ]);
  });

  it('a message written for another type of target (queued before a reload changed it) is refused, not sent somewhere else', () => {
    expect(() => requestFor(genie, message('{"version":2,"event":"incident.opened"}'))).toThrow('written for another type of target');
  });
});
