/**
 * End to end with a real Prometheus Alertmanager: alerts posted to Alertmanager's own API reach a
 * running `vigil serve` through a webhook receiver, become one incident on the wire-transfer journey,
 * and resolve when Alertmanager sends them resolved (no SLO of the journey is burning: no events).
 * The server has access tokens: Alertmanager carries its `ingest` token through its own
 * `http_config.authorization` (docs/access.md), and an Alertmanager without it is refused with 401.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertmanagerProcess,
  alertmanagerAlerts,
  type PostableAlert,
  alertmanagerVersion,
  findAlertmanager,
  postAlerts,
  startAlertmanager,
  waitFor,
} from '../helpers/alertmanager.js';
import { E2E_CONFIG, getJson, postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const bin = findAlertmanager();
const inCi = process.env.CI === 'true';
const MISSING = 'the Alertmanager binary is not installed (apt-get install prometheus-alertmanager, or set ALERTMANAGER_BIN)';
if (!bin && !inCi) process.stderr.write(`test/e2e/alertmanager.test.ts skipped: ${MISSING}\n`);

// Outside CI a machine without Alertmanager skips; in CI its absence is a failure, never a silent skip.
describe.skipIf(!bin && !inCi)(
  bin ? `a real Alertmanager (${bin}) → vigil serve` : `a real Alertmanager → vigil serve (skipped: ${MISSING})`,
  () => {
    let vigil: VigilProcess;
    let alertmanager: AlertmanagerProcess;
    let temp: { dir: string; cleanup: () => void };
    let incidentId: string;
    /** The test's own token (read, ingest), sent on every request it makes itself. */
    let auth: Record<string, string>;
    const diagnostics = () =>
      `--- vigil ---\n${vigil?.output() ?? ''}\n--- alertmanager ---\n${alertmanager?.output().split('\n').slice(-40).join('\n') ?? ''}`;

    // Two technical alerts on services of the wire-transfer journey: core-ledger (confirm) and payments-api (initiate, confirm).
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alerts: PostableAlert[] = [
      {
        labels: { alertname: 'CoreLedgerDown', service: 'core-ledger', instance: 'ledger-1:9100', severity: 'critical' },
        annotations: { summary: 'core-ledger ledger-1 is down' },
        startsAt,
        generatorURL: 'http://prometheus.bank.example:9090/graph?g0.expr=up%7Bjob%3D%22core-ledger%22%7D',
      },
      {
        labels: { alertname: 'PaymentsApi5xx', service: 'payments-api', instance: 'payments-1:8080', severity: 'warning' },
        annotations: { description: 'payments-api 5xx ratio above 5%' },
        startsAt,
      },
    ];

    beforeAll(async () => {
      if (!bin) throw new Error(`CI=true and ${MISSING}`);
      process.stderr.write(`Alertmanager ${alertmanagerVersion(bin)} at ${bin}\n`);
      temp = tempDir('vigil-am-');
      const database = join(temp.dir, 'vigil.db');
      const create = async (name: string, scopes: string[]) => {
        const { code, stdout, stderr } = await runVigil([
          'token',
          'create',
          '--name',
          name,
          ...scopes.flatMap((s) => ['--scope', s]),
          '--database',
          database,
        ]);
        expect(code, stderr).toBe(0);
        return /^(vigil_\S+)$/m.exec(stdout)![1]!;
      };
      const credentialsFile = join(temp.dir, 'vigil-token');
      writeFileSync(credentialsFile, await create('alertmanager', ['ingest']), { mode: 0o600 });
      auth = { authorization: `Bearer ${await create('e2e', ['read', 'ingest'])}` };
      vigil = await startVigil(['--config', E2E_CONFIG, '--database', database]);
      alertmanager = await startAlertmanager(bin, temp.dir, `${vigil.url}/api/v1/alerts/alertmanager`, { credentialsFile });
    });

    afterAll(async () => {
      await alertmanager?.stop();
      await vigil?.stop();
      temp?.cleanup();
    });

    it('Vigil serves the alert webhook and the incident API, to a token only', async () => {
      expect((await getJson(`${vigil.url}/api/v1/incidents`)).status).toBe(401);
      const { status, body } = await getJson(`${vigil.url}/api/v1/incidents`, auth);
      expect(
        status,
        `GET /api/v1/incidents answered ${status} ${JSON.stringify(body)}: is the IncidentManager wired into vigil serve?`,
      ).toBe(200);
    });

    it('alerts posted to Alertmanager become one incident on the wire-transfer journey, keyed by fingerprint', async () => {
      await postAlerts(alertmanager.url, alerts);
      const held = await waitFor('Alertmanager to hold both alerts', async () => {
        const list = await alertmanagerAlerts(alertmanager.url);
        return list.length === 2 ? list : undefined;
      });
      const incident = await waitFor(
        'an incident on wire-transfer with both alerts',
        async () => {
          const { body } = await getJson(`${vigil.url}/api/v1/incidents?journey=wire-transfer`, auth);
          const found = body.incidents?.find((i: { alertKeys: string[] }) => i.alertKeys.length === 2);
          return found as
            | {
                id: string;
                status: string;
                priority: string;
                reason: string;
                paged: boolean;
                journeys: string[];
                stages: { journey: string; step: string | null }[];
                alertKeys: string[];
              }
            | undefined;
        },
        30_000,
        diagnostics,
      );
      incidentId = incident.id;
      expect(incident.status).toBe('open');
      expect(incident.journeys).toEqual(['wire-transfer']);
      expect(incident.stages).toContainEqual({ journey: 'wire-transfer', step: 'confirm' });
      // No customer is failing (no events at all): ranked lowest, recorded with its reason, not paged.
      expect(incident).toMatchObject({ priority: 'P4', paged: false });
      expect(incident.reason).toMatch(/no customer impact/);
      expect([...incident.alertKeys].sort()).toEqual(held.map((a) => `alertmanager:${a.fingerprint}`).sort());

      const { body: detail } = await getJson(`${vigil.url}/api/v1/incidents/${incidentId}`, auth);
      const byName = Object.fromEntries(detail.alerts.map((a: { name: string }) => [a.name, a]));
      expect(byName['CoreLedgerDown']).toMatchObject({
        source: 'alertmanager',
        status: 'firing',
        service: 'core-ledger',
        severity: 'critical',
        summary: 'core-ledger ledger-1 is down',
        endsAt: null,
      });
      expect(byName['CoreLedgerDown'].generatorUrl).toBe(alerts[0]!.generatorURL);
      expect(byName['PaymentsApi5xx']).toMatchObject({
        status: 'firing',
        service: 'payments-api',
        summary: 'payments-api 5xx ratio above 5%',
      });
      expect(Date.parse(byName['CoreLedgerDown'].startsAt)).toBe(Date.parse(startsAt));
    }, 60_000);

    it('`vigil incidents` shows it', async () => {
      const { code, stdout } = await runVigil(['incidents', '--server', vigil.url, '--journey', 'wire-transfer'], {
        VIGIL_TOKEN: auth['authorization']!.slice('Bearer '.length),
      });
      expect(code).toBe(0);
      expect(stdout).toContain(incidentId);
      expect(stdout).toContain('wire-transfer');
    });

    it('resolved in Alertmanager → alerts resolved in Vigil, and the incident resolves (no SLO burning)', async () => {
      const endsAt = new Date(Date.now() - 1_000).toISOString();
      await postAlerts(
        alertmanager.url,
        alerts.map((a) => ({ ...a, endsAt })),
      );
      const resolved = await waitFor(
        'both alerts resolved and the incident resolved',
        async () => {
          const { body } = await getJson(`${vigil.url}/api/v1/incidents/${incidentId}`, auth);
          const allResolved = body.alerts?.length === 2 && body.alerts.every((a: { status: string }) => a.status === 'resolved');
          return allResolved && body.status === 'resolved' ? body : undefined;
        },
        30_000,
        diagnostics,
      );
      for (const alert of resolved.alerts) expect(alert.endsAt).not.toBeNull();
      expect(resolved.resolvedAt).not.toBeNull();

      const { body: stats } = await getJson(`${vigil.url}/api/v1/incidents/stats`, auth);
      expect(stats).toMatchObject({ alertsReceived: 2, incidentsOpened: 1 });
      expect(stats.compressionRatio).toBeCloseTo(0.5, 9);
    }, 60_000);
    it('with customers failing at the journey, the same path gives a paged priority and says who is hurt', async () => {
      const now = Date.now();
      // 200 login attempts in the last 3 minutes, every fourth one failing, from 200 customers: the step
      // event and the attempt's outcome, so the login SLO burns too.
      const events = Array.from({ length: 200 }, (_, i) => {
        const common = {
          outcome: i % 4 === 0 ? 'failure' : 'success',
          customerId: `c-${i}`,
          timestamp: new Date(now - 180_000 + i * 900).toISOString(),
        };
        return [
          { journey: 'login', step: 'authenticate', ...common },
          { journey: 'login', ...common },
        ];
      }).flat();
      expect((await postEvents(vigil.url, events, 'application/json', auth)).body.accepted).toBe(400);
      await postAlerts(alertmanager.url, [
        {
          labels: { alertname: 'AuthGatewayErrors', service: 'auth-gateway', instance: 'auth-1:8443', severity: 'warning' },
          annotations: { summary: 'auth-gateway 5xx above 5%' },
          startsAt: new Date(now - 30_000).toISOString(),
        },
      ]);
      const incident = await waitFor(
        'a paged incident on login holding the Alertmanager alert',
        async () => {
          const { body } = await getJson(`${vigil.url}/api/v1/incidents?journey=login`, auth);
          return body.incidents?.find(
            (i: { paged: boolean; alertKeys: string[] }) => i.paged && i.alertKeys.some((k) => k.startsWith('alertmanager:')),
          ) as { priority: string; reason: string; impact: { customersAffected: number } } | undefined;
        },
        30_000,
        diagnostics,
      );
      expect(['P1', 'P2']).toContain(incident.priority);
      expect(incident.impact.customersAffected).toBe(50);
      expect(incident.reason).toMatch(/login/);
      expect(incident.reason).toMatch(/failing for 50 customers/);
    }, 60_000);

    it('an Alertmanager without the token is refused with 401, and nothing it sends reaches Vigil', async () => {
      const bare = await startAlertmanager(bin!, join(temp.dir, 'am-without-token'), `${vigil.url}/api/v1/alerts/alertmanager`);
      try {
        await postAlerts(bare.url, [
          { labels: { alertname: 'NoTokenAlert', service: 'core-ledger', severity: 'critical' }, startsAt: new Date().toISOString() },
        ]);
        await waitFor(
          'Alertmanager to report the 401',
          async () => (/status code 401/.test(bare.output()) ? true : undefined),
          30_000,
          () => bare.output().split('\n').slice(-20).join('\n'),
        );
        // The alert Alertmanager holds, by the key Vigil would give it: on no incident, because it never arrived.
        const [held] = await alertmanagerAlerts(bare.url);
        const { body } = await getJson(`${vigil.url}/api/v1/incidents?limit=1000`, auth);
        const keys = body.incidents.flatMap((i: { alertKeys: string[] }) => i.alertKeys);
        expect(keys.length).toBeGreaterThan(0);
        expect(keys).not.toContain(`alertmanager:${held!.fingerprint}`);
      } finally {
        await bare.stop();
      }
    }, 60_000);
  },
);
