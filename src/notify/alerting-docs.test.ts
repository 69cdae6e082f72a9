// Runs the examples of the "Webhooks in" and "Notifications" sections of docs/alerting.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import { parseAlertmanagerPayload } from '../ingest/alerts/alertmanager.js';
import { parseGenericPayload } from '../ingest/alerts/generic.js';
import type { Incident } from '../model/incident.js';
import { buildNotifications } from './build.js';
import { opsgenieRequest } from './opsgenie.js';
import { targetsForIncident } from './routing.js';

const doc = readFileSync(new URL('../../docs/alerting.md', import.meta.url), 'utf8');

/** The code block after `<!-- example: name -->`. */
function example(name: string): string {
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!match) throw new Error(`docs/alerting.md has no example "${name}"`);
  return match[1]!;
}

function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/alerting.md has no "## ${heading}" section`);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

/** The incident the notification examples describe. */
const incident: Incident = {
  id: 'inc-2f6c1a9e',
  status: 'open',
  priority: 'P1',
  reason: 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 31× the sustainable rate)',
  title: 'Wire transfer: confirm failing',
  journeys: ['wire-transfer'],
  stages: [{ journey: 'wire-transfer', step: 'confirm' }],
  services: ['core-ledger'],
  alertKeys: ['alertmanager:5f2d6a8e1c3b4d7f', 'slo:wire-transfer/confirm-step'],
  alertCount: 2,
  lastAlertAt: Date.parse('2026-11-26T09:58:12Z'),
  openedAt: Date.parse('2026-11-26T09:58:12Z'),
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
    assessedAt: Date.parse('2026-11-26T09:59:00Z'),
  },
  mergedFrom: [],
  mergedInto: null,
  timeline: [],
};

function documentedConfig() {
  const loaded = loadConfigFromString(
    `version: vigil/v1\ndefaults: { timezone: Europe/London }\n${example('notifications')}\n`,
    'vigil.yaml',
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

const sentAt = Date.parse('2026-11-26T09:58:15Z');
const payloads = (change: 'opened' | 'resolved', i: Incident = incident) =>
  Object.fromEntries(buildNotifications(i, change, documentedConfig(), sentAt, () => 'm').map((m) => [m.target, JSON.parse(m.payload)]));

describe('docs/alerting.md: Webhooks in', () => {
  it('has the section', () => {
    expect(section('Webhooks in')).toContain('POST /api/v1/alerts/alertmanager');
  });

  it('the documented answer has the fields the webhook endpoints send', () => {
    expect(Object.keys(JSON.parse(example('receive response')))).toEqual(['received', 'created', 'updated', 'incidents', 'truncated']);
  });

  it('the alertmanager.yml receiver points at the webhook and keeps resolved notifications', () => {
    const yml = example('alertmanager.yml');
    expect(yml).toContain('url: http://vigil.internal:8080/api/v1/alerts/alertmanager');
    expect(yml).toContain('send_resolved: true');
  });

  // amtool comes with Debian's prometheus-alertmanager. Outside CI a machine without it skips with a message;
  // under CI=true (.ci/run installs it) its absence is a failure, never a silent skip.
  const amtool = ['/usr/bin/amtool', '/usr/local/bin/amtool'].find((path) => existsSync(path));
  const amtoolMissing = 'amtool is not installed (apt-get install prometheus-alertmanager)';
  const inCi = process.env.CI === 'true';
  if (!amtool && !inCi) process.stderr.write(`src/notify/alerting-docs.test.ts: amtool check skipped: ${amtoolMissing}\n`);
  it.skipIf(!amtool && !inCi)('amtool check-config accepts the alertmanager.yml example', () => {
    if (!amtool) throw new Error(`CI=true and ${amtoolMissing}`);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-amtool-'));
    try {
      const file = join(dir, 'alertmanager.yml');
      writeFileSync(file, example('alertmanager.yml'));
      expect(execFileSync(amtool, ['check-config', file], { encoding: 'utf8' })).toContain('SUCCESS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the generic example parses as described: one firing alert and one resolved by its endsAt', () => {
    const result = parseGenericPayload(JSON.parse(example('generic request')));
    if (!result.ok) throw new Error(result.message);
    expect(result.alerts.map((a) => [a.sourceKey, a.status, a.service, a.summary])).toEqual([
      ['nagios/ledger-db-disk', 'firing', 'core-ledger', 'core-ledger database volume 96% full'],
      ['nagios/fraud-queue', 'resolved', 'fraud-check', 'fraud-check queue drained'],
    ]);
  });

  it('the documented error message is the one a malformed payload gets', () => {
    const bad = {
      version: '4',
      alerts: [
        { status: 'firing', labels: {} },
        { status: 'firing', labels: {}, startsAt: 'now' },
      ],
    };
    const result = parseAlertmanagerPayload(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(section('Webhooks in')).toContain(`\`${result.message}\``);
  });
});

describe('docs/alerting.md: Notifications', () => {
  it('the configuration example loads', () => {
    expect(documentedConfig().notifications).toEqual({
      externalUrl: 'https://vigil.bank.example',
      targets: [
        {
          name: 'payments-oncall',
          type: 'pagerduty',
          url: 'https://events.pagerduty.com/v2/enqueue',
          routingKey: '0123456789abcdef0123456789abcdef',
          minPriority: 'P2',
        },
        { name: 'payments-slack', type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX', minPriority: 'P3' },
        { name: 'itsm', type: 'webhook', url: 'https://itsm.bank.example/api/vigil-events', minPriority: 'P4' },
      ],
      routing: { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' },
    });
  });

  it('the webhook payload is what Vigil sends', () => {
    expect(payloads('opened')['itsm']).toEqual(JSON.parse(example('webhook payload')));
  });

  it('the Slack text is what Vigil sends', () => {
    expect(payloads('opened')['payments-slack'].text).toBe(example('slack text'));
  });

  it('the PagerDuty trigger and resolve are what Vigil sends', () => {
    expect(payloads('opened')['payments-oncall']).toEqual(JSON.parse(example('pagerduty trigger')));
    expect(payloads('resolved', { ...incident, status: 'resolved' })['payments-oncall']).toEqual(JSON.parse(example('pagerduty resolve')));
  });

  it('P4 routes to none: the documented configuration sends nothing for it', () => {
    expect(payloads('opened', { ...incident, priority: 'P4' })).toEqual({});
  });
});

describe('docs/alerting.md: Routing by journey and team, Teams, Opsgenie', () => {
  const routed = loadConfigFromString(`version: vigil/v1\n${example('notification routing')}\n`, 'vigil.yaml');
  const mortgage = (priority: Incident['priority'], step: string, services: string[]): Incident => ({
    ...incident,
    priority,
    journeys: ['mortgage-application'],
    stages: [{ journey: 'mortgage-application', step }],
    services,
  });

  it('the routing example loads and routes as the text says', () => {
    if (!routed.ok) throw new Error(JSON.stringify(routed.errors));
    const names = (i: Incident) => targetsForIncident(i, routed.config).map((t) => t.name);
    expect(names(mortgage('P1', 'offer', ['core-ledger']))).toEqual(['lending-teams', 'ledger-opsgenie', 'major-incidents']);
    expect(names(mortgage('P3', 'apply', ['credit-scoring']))).toEqual(['lending-teams']);
    expect(routed.config.notifications?.targets[1]?.url).toBe('https://api.eu.opsgenie.com');
  });

  it('the Teams example is what Vigil sends, shortened as it says', () => {
    if (!routed.ok) throw new Error(JSON.stringify(routed.errors));
    const withLink = { ...routed.config, notifications: { ...routed.config.notifications!, externalUrl: 'https://vigil.bank.example' } };
    const [message] = buildNotifications(
      { ...incident, journeys: ['mortgage-application'] },
      'opened',
      withLink,
      sentAt,
      () => 'm',
      new Set(['lending-teams']),
    );
    const sent = JSON.parse(message!.payload);
    const documented = JSON.parse(example('teams message'));
    const card = sent.attachments[0].content;
    const shown = documented.attachments[0].content;
    expect(sent.type).toBe(documented.type);
    expect(sent.attachments[0].contentType).toBe(documented.attachments[0].contentType);
    expect(card.version).toBe(shown.version);
    expect(card.body.map((e: { type: string }) => e.type)).toEqual(shown.body.map((e: { type: string }) => e.type));
    expect(shown.body[0].text.replace(' …', '')).toBe(card.body[0].text.slice(0, shown.body[0].text.length - 2));
    expect(card.body[2].facts).toEqual(expect.arrayContaining(shown.body[2].facts));
    expect(card.actions).toEqual(shown.actions);
  });

  it('the Opsgenie table names the paths Vigil calls', () => {
    const text = section('Notifications');
    const genie = { ...incident };
    const ctx = {
      routing: 'page' as const,
      target: { name: 'g', type: 'opsgenie' as const, url: 'x', minPriority: 'P3' as const },
      now: sentAt,
    };
    const paths = (['opened', 'acknowledged', 'resolved'] as const).map(
      (change) => opsgenieRequest(genie, { ...ctx, change, incidentUrl: '/x', timezone: 'UTC' }).path,
    );
    expect(paths).toEqual([
      '/v2/alerts',
      '/v2/alerts/inc-2f6c1a9e/acknowledge?identifierType=alias',
      '/v2/alerts/inc-2f6c1a9e/close?identifierType=alias',
    ]);
    for (const documented of [
      '`POST /v2/alerts`',
      '`POST /v2/alerts/{alias}/acknowledge?identifierType=alias`',
      '`POST /v2/alerts/{alias}/close?identifierType=alias`',
    ])
      expect(text).toContain(documented);
  });
});
