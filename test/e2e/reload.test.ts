/**
 * Configuration without a restart, end to end (docs/cli.md ("Signals")): a real `vigil serve` reloads
 * vigil.yaml on SIGHUP and on POST /api/v1/admin/reload (admin scope), recomputes new and changed SLOs
 * from the stored raw events, keeps the old configuration when the new one does not validate, and a
 * notification target added while an incident is open hears about it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/alertmanager.js';
import { type NotificationReceivers, startNotificationReceivers } from '../helpers/notification-receivers.js';
import { E2E_CONFIG, getJson, postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const temp = tempDir('vigil-reload-');
const configFile = join(temp.dir, 'vigil.yaml');
const database = join(temp.dir, 'vigil.db');
const base = readFileSync(E2E_CONFIG, 'utf8');
let vigil: VigilProcess;
let receivers: NotificationReceivers;
const EVENTS = 300;

/** The fixture with wire-transfer/success at another objective, a 7-day SLO and a mortgage journey added, and two targets. */
function changed(): string {
  const edited = base.replace(
    '      - name: success\n        objective: 99.9\n        window: 28d\n        sli: { kind: success }\n',
    '      - name: success\n        objective: 99.5\n        window: 28d\n        sli: { kind: success }\n' +
      '      - name: success-7d\n        objective: 99\n        window: 7d\n        sli: { kind: success, abandonedIsBad: true }\n',
  );
  if (edited === base || !edited.includes('\ningest:')) throw new Error('the fixture changed: the objective to edit was not found');
  const mortgage = `  - name: mortgage
    tier: core
    owner: lending
    steps: [{ name: apply, services: [credit-scoring] }]
    slos: [{ name: success, objective: 99.5, window: 28d, sli: { kind: success } }]
`;
  return `${edited.replace('\ningest:', `\n${mortgage}ingest:`)}
notifications:
  routing: { P4: ticket }
  targets:
    - { name: itsm, type: webhook, url: "${receivers.urls.webhook}", minPriority: P4 }
    - { name: payments-teams, type: teams, url: "${receivers.urls.teams}", minPriority: P4, match: { journeyOwners: [payments] } }
`;
}

const journeys = async (headers: Record<string, string> = {}) => (await getJson(`${vigil.url}/api/v1/journeys`, headers)).body;
const sloOf = (body: any, journey: string, slo: string) =>
  body.journeys.find((j: any) => j.name === journey)?.slos.find((s: any) => s.slo === slo || s.name === slo);

beforeAll(async () => {
  receivers = await startNotificationReceivers();
  writeFileSync(configFile, base);
  vigil = await startVigil(['--config', configFile, '--database', database]);
  // History to recompute: wire-transfer failing a third of the time over the last three minutes, which opens an incident.
  const now = Date.now();
  const events = Array.from({ length: EVENTS }, (_, i) => ({
    journey: 'wire-transfer',
    outcome: i % 3 === 0 ? 'failure' : 'success',
    customerId: `c-${i}`,
    timestamp: new Date(now - 180_000 + i * 500).toISOString(),
  }));
  expect((await postEvents(vigil.url, events)).status).toBe(200);
  await waitFor('an open incident', async () => {
    const { body } = await getJson(`${vigil.url}/api/v1/incidents?status=open`);
    return body.incidents.length > 0 ? true : undefined;
  });
}, 120_000);

afterAll(async () => {
  await vigil?.stop();
  await receivers?.close();
  temp.cleanup();
});

describe('vigil serve reloads its configuration', () => {
  it('on SIGHUP: a new journey and SLO appear, recomputed from stored events; an objective changes; a new target hears of the open incident', async () => {
    expect(sloOf(await journeys(), 'wire-transfer', 'success').objective).toBe(99.9);
    writeFileSync(configFile, changed());
    vigil.child.kill('SIGHUP');
    const after = await waitFor('the mortgage journey to appear', async () => {
      const body = await journeys();
      return body.journeys.some((j: any) => j.name === 'mortgage') ? body : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; vigil printed:\n${vigil.output()}`);
    });
    expect(sloOf(after, 'wire-transfer', 'success').objective).toBe(99.5);
    // A new SLO with a new SLI: rebuilt from the raw events the store kept, not started empty.
    const weekly = (await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/success-7d/status`)).body;
    expect(weekly.total).toBe(EVENTS);
    expect(weekly.good).toBe(EVENTS - EVENTS / 3);
    const changedSlo = (await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/success/status`)).body;
    expect([changedSlo.objective, changedSlo.total]).toEqual([99.5, EVENTS]);
    expect((await getJson(`${vigil.url}/api/v1/info`)).body.journeys).toBe(3);
    // Events for the new journey are accepted now.
    expect((await postEvents(vigil.url, [{ journey: 'mortgage', outcome: 'success' }])).body.accepted).toBe(1);

    // The targets added while the incident was open hear about it once, with the shape their service accepts.
    const { body } = await getJson(`${vigil.url}/api/v1/incidents?status=open`);
    const open = body.incidents[0];
    await waitFor('the new targets to be notified', async () =>
      receivers.received.filter((r) => r.service === 'webhook' || r.service === 'teams').length >= 2 ? true : undefined,
    );
    expect(receivers.received.flatMap((r) => r.problems)).toEqual([]);
    const hook = receivers.received.find((r) => r.service === 'webhook')!.body as { event: string; incident: { id: string } };
    expect([hook.event, hook.incident.id]).toEqual(['incident.opened', open.id]);
    const detail = (await getJson(`${vigil.url}/api/v1/incidents/${open.id}`)).body;
    expect(JSON.stringify(detail.timeline)).toContain('target added while open');
    expect(vigil.output()).toMatch(/reloaded .*vigil\.yaml: 3 journeys, 6 SLOs; 2 SLIs recomputed, 0 dropped/);
    // Secrets stay out of the log.
    expect(vigil.output()).not.toContain(receivers.urls.teams);
  }, 90_000);

  it('on SIGHUP with an invalid file: a warning naming file:line:col, and the old configuration keeps serving', async () => {
    const before = await journeys();
    writeFileSync(configFile, changed().replace('objective: 99.5, window: 28d', 'objective: 101, window: 28d'));
    const mark = vigil.output().length;
    vigil.child.kill('SIGHUP');
    await waitFor('the reload to be refused', async () => (vigil.output().slice(mark).includes('reload refused') ? true : undefined));
    expect(vigil.output().slice(mark)).toMatch(
      /warn reload refused: .*vigil\.yaml does not validate; the configuration in force is unchanged/,
    );
    expect(vigil.output().slice(mark)).toMatch(/vigil\.yaml:\d+:\d+: journeys\[2\]\.slos\[0\]\.objective/);
    const still = await journeys();
    expect(still.journeys.map((j: any) => j.name)).toEqual(before.journeys.map((j: any) => j.name));
    expect(sloOf(still, 'wire-transfer', 'success').objective).toBe(99.5);
    expect((await getJson(`${vigil.url}/readyz`)).status).toBe(200);
  }, 60_000);

  it('POST /api/v1/admin/reload: 401 without a token, 403 without admin, 400 config_invalid, then 200 with admin', async () => {
    const token = async (name: string, scope: string) => {
      const created = await runVigil(['token', 'create', '--name', name, '--scope', scope, '--database', database]);
      expect(created.code, created.stderr).toBe(0);
      return /^(vigil_\S+)$/m.exec(created.stdout)![1]!;
    };
    const admin = await token('admin', 'admin');
    const reader = await token('reader', 'read');
    const reload = (bearer?: string) =>
      fetch(`${vigil.url}/api/v1/admin/reload`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: '{}',
      });
    await waitFor('the server to require a token', async () => ((await reload()).status === 401 ? true : undefined));
    const forbidden = await reload(reader);
    expect(forbidden.status).toBe(403);

    // Still the invalid file of the test above: refused with its problems, and nothing changes.
    const refused = await reload(admin);
    expect(refused.status).toBe(400);
    const error = ((await refused.json()) as { error: { code: string; details: { problems: string[] } } }).error;
    expect(error.code).toBe('config_invalid');
    expect(error.details.problems.join('\n')).toMatch(/vigil\.yaml:\d+:\d+: journeys\[2\]\.slos\[0\]\.objective/);

    // Remove the mortgage journey and the 7-day SLO: their aggregates are dropped.
    writeFileSync(configFile, base);
    const ok = await reload(admin);
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { status: string; journeys: number; recomputed: string[]; dropped: string[]; targets: string[] };
    expect(answer.status).toBe('reloaded');
    expect(answer.journeys).toBe(2);
    // An objective applies to the stored counts: nothing to recompute. The removed SLIs' aggregates are dropped.
    expect(answer.recomputed).toEqual([]);
    expect(answer.dropped.sort()).toEqual(['mortgage|*|success|abandoned:ok', 'wire-transfer|*|success|abandoned:bad']);
    expect(answer.targets).toEqual([]);
    const body = await journeys({ authorization: `Bearer ${reader}` });
    expect(body.journeys.map((j: any) => j.name)).toEqual(['wire-transfer', 'login']);
    expect(sloOf(body, 'wire-transfer', 'success').objective).toBe(99.9);
  }, 60_000);
});
