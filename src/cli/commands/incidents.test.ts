import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilError } from '../../errors/catalogue.js';
import { incidentJson } from '../../app/read-models/incident-views.js';
import { money } from '../../model/money.js';
import { type IncidentServer, NOW, sampleAlert, sampleIncident, startIncidentServer } from '../../../test/helpers/incident-server.js';
import { visibleLength } from '../format.js';
import { doraLines, fetchIncidents, fetchIncidentText, incidentsSummary, localMinute, renderIncidentTable } from './incidents.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

let server: IncidentServer;
let app: FastifyInstance;
let url: string;

const first = sampleIncident('inc-1');
const second = sampleIncident('inc-2', {
  status: 'acknowledged',
  priority: 'P3',
  paged: false,
  reason: `no customer impact: ${'fraud-check alerts '.repeat(8)}while wire-transfer succeeds normally`,
  stages: [],
  journeys: ['wire-transfer'],
  alertKeys: ['grafana:c6ea', 'grafana:c6eb'],
  alertCount: 2,
  openedAt: NOW - 3_600_000,
  acknowledgedAt: NOW - 3_000_000,
  impact: null,
});
// Kept out of the filtered list: resolved, and P4.
const third = sampleIncident('inc-3', { status: 'resolved', priority: 'P4', openedAt: NOW - 60_000, resolvedAt: NOW - 30_000 });

beforeAll(async () => {
  server = await startIncidentServer({
    seed: {
      incidents: [first, second, third],
      alerts: [
        sampleAlert(first),
        sampleAlert(second, { key: 'grafana:c6ea', source: 'grafana', stages: [] }),
        sampleAlert(second, { key: 'grafana:c6eb', source: 'grafana', stages: [] }),
        sampleAlert(third, { status: 'resolved', endsAt: NOW - 30_000 }),
      ],
    },
  });
  app = server.app;
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => server.close());

describe('vigil incidents', () => {
  it('reads the incidents of a running server, passing the filters through', async () => {
    const incidents = await fetchIncidents(url, { status: 'open,acknowledged', priority: 'P1,P3', journey: 'wire-transfer' });
    expect(incidents.map((i) => i.id)).toEqual(['inc-1', 'inc-2']);
    expect((await fetchIncidents(url, {})).map((i) => i.id)).toEqual(['inc-3', 'inc-1', 'inc-2']);
    expect((await fetchIncidents(url, { priority: 'P4' })).map((i) => i.id)).toEqual(['inc-3']);
    expect((await fetchIncidents(url, { journey: 'login' })).map((i) => i.id)).toEqual([]);
    expect((await fetchIncidents(url, { limit: '1' })).map((i) => i.id)).toEqual(['inc-3']);
  });

  it('renders an aligned table: id, priority, status, local opening time, stages, alert count, value at risk, reason', async () => {
    const incidents = await fetchIncidents(url, { status: 'open,acknowledged' });
    const lines = plain(renderIncidentTable(incidents)).split('\n');
    expect(lines[0]).toMatch(/^ID\s+PRI\s+STATUS\s+OPENED\s+JOURNEYS \/ STAGES\s+ALERTS\s+AT RISK\s+REASON$/);
    expect(lines[2]).toContain('inc-1');
    expect(lines[2]).toContain('P1');
    expect(lines[2]).toContain('● open');
    expect(lines[2]).toContain(localMinute(new Date(NOW - 120_000).toISOString()));
    expect(lines[2]).toContain('wire-transfer › confirm');
    expect(lines[2]).toMatch(/\s1\s+€38k\/h\s+wire-transfer confirm/);
    expect(lines[2]).toContain('wire-transfer confirm step failing for 2,140 customers, €38k/h at risk');
    // No stage known: the journeys; a long reason is cut with an ellipsis.
    expect(lines[3]).toMatch(/inc-2\s+P3\s+◐ acknowledged\s+\S+ \S+\s+wire-transfer\s+2\s+—\s+no customer impact: fraud-check/);
    expect(lines[3]!.endsWith('…')).toBe(true);
    // Columns line up whatever the colours.
    expect(lines[2]!.indexOf('P1')).toBe(lines[0]!.indexOf('PRI'));
    expect(visibleLength(lines[3]!.slice(lines[3]!.indexOf('no customer impact')))).toBe(90);
    expect(plain(incidentsSummary(incidents))).toBe('1 open (1 paged), 1 acknowledged, 2 shown');
  });

  it('shows every currency of the value at risk on its own, never a sum', () => {
    // A euro journey and a sterling journey: two amounts, never one sum.
    const mixed = sampleIncident('inc-3');
    const impact = { ...mixed.impact!, valueAtRiskPerHour: [money(600, 'EUR'), money(500, 'GBP')] };
    const row = plain(renderIncidentTable([incidentJson({ ...mixed, impact })])).split('\n')[2];
    expect(row).toContain('€600/h + £500/h');
    expect(row).not.toMatch(/1[.,]1k|1,100/);
  });

  it('localMinute shows the local time zone of the machine', () => {
    const d = new Date('2026-11-26T09:58:30Z');
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(localMinute(d.toISOString())).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`,
    );
  });

  it("passes on the server's refusal of a filter", async () => {
    const error = await fetchIncidents(url, { status: 'firing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilError);
    expect((error as VigilError).code).toBe('invalid_query');
    expect((error as VigilError).message).toMatch(/status: expected a comma-separated list of open, acknowledged, resolved, got "firing"$/);
  });

  it('says when no server answers', async () => {
    const error = await fetchIncidents('http://127.0.0.1:1', {}).catch((e: unknown) => e);
    expect((error as VigilError).code).toBe('store_unavailable');
    expect((error as VigilError).message).toBe('Cannot reach a Vigil server at http://127.0.0.1:1');
  });

  it('a major incident under DORA gets a line with its next clock, in the server zone; --regulatory prints the report (docs/dora.md)', async () => {
    // Classified a minute before NOW (10:00:30 UTC): the initial notification is due 4 h later, 13:59:30.
    await server.store.alerting.classify({ incidentId: 'inc-1', classifiedAt: NOW - 60_000, basis: 'thresholds', reason: 'Major: test' });
    const incidents = await fetchIncidents(url, {});
    expect(incidents.map((i) => [i.id, i.dora?.line ?? null])).toEqual([
      ['inc-3', null],
      ['inc-1', 'DORA: major — initial notification due by 13:59'],
      ['inc-2', null],
    ]);
    expect(plain(doraLines(incidents))).toBe('inc-1  DORA: major — initial notification due by 13:59');
    expect(doraLines([incidents[0]!])).toBe('');
    const markdown = await fetchIncidentText(url, 'inc-1', { regulatory: true });
    expect(markdown.startsWith('# DORA classification: Wire transfer: confirm failing')).toBe(true);
    expect(markdown).toContain('Classified major at 2026-11-26T09:59:30.000Z (thresholds).');
    const json = JSON.parse(await fetchIncidentText(url, 'inc-1', { regulatory: true, json: true }));
    expect(json.classification.classifiedAt).toBe('2026-11-26T09:59:30.000Z');
    await expect(fetchIncidentText(url, 'inc-1', { regulatory: true, review: true })).rejects.toThrow(
      '--review and --regulatory: choose one',
    );
  });
});
