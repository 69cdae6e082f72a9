import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { IncomingAlert } from '../model/alert.js';
import { openStore } from '../store/open.js';
import { IncidentManager } from './incident-manager.js';
import { VigilRuntime } from './runtime.js';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const silent = { info: () => {}, warn: () => {} };
const loaded = await loadConfig(new URL('../../test/fixtures/e2e.yaml', import.meta.url).pathname);
if (!loaded.ok) throw new Error('fixture config does not load');
const config = loaded.config;

const alert = (key: string, service: string, status: 'firing' | 'resolved' = 'firing', at = NOW): IncomingAlert => ({
  source: 'generic',
  sourceKey: key,
  status,
  name: 'HighErrorRate',
  summary: `${service} failing`,
  severity: 'critical',
  service,
  labels: { alertname: 'HighErrorRate' },
  annotations: {},
  startsAt: status === 'firing' ? at : NOW,
  endsAt: status === 'resolved' ? at : null,
});

async function open(path: string) {
  const store = await openStore(path);
  const runtime = await VigilRuntime.start({ config, store, clock: () => NOW });
  return { store, runtime, manager: await IncidentManager.start(runtime, silent) };
}

describe('IncidentManager', () => {
  it('stores alerts and incidents, and resumes after a restart: a re-sent alert is an update', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-im-'));
    const first = await open(`${dir}/vigil.db`);
    const summary = await first.manager.receiveAlerts(
      [alert('a1', 'payments-api'), alert('a2', 'core-ledger', 'firing', NOW + 60_000)],
      NOW,
    );
    expect(summary).toMatchObject({ received: 2, created: 2, updated: 0 });
    expect(summary.incidents).toHaveLength(1);
    const [incident] = await first.manager.listIncidents({});
    expect(incident!.alertKeys.sort()).toEqual(['generic:a1', 'generic:a2']);
    expect(incident!.journeys).toEqual(['wire-transfer']);
    // No event shows customers failing: recorded, lowest priority, not paged.
    expect(incident).toMatchObject({ priority: 'P4', paged: false });
    await first.manager.stop();
    await first.runtime.close();

    const second = await open(`${dir}/vigil.db`);
    const again = await second.manager.receiveAlerts([alert('a1', 'payments-api')], NOW + 120_000);
    expect(again).toMatchObject({ created: 0, updated: 1 });
    expect(await second.manager.listIncidents({})).toHaveLength(1);
    // Both alerts resolve and nothing burns: the next round resolves the incident.
    await second.manager.receiveAlerts(
      [alert('a1', 'payments-api', 'resolved', NOW + 180_000), alert('a2', 'core-ledger', 'resolved', NOW + 180_000)],
      NOW + 180_000,
    );
    await second.manager.tick(NOW + 240_000);
    expect((await second.manager.listIncidents({}))[0]!.status).toBe('resolved');
    await second.manager.stop();
    await second.runtime.close();
  });

  it('when the store refuses a step, memory goes back to what the store holds', async () => {
    const { store, runtime, manager } = await open(':memory:');
    const save = store.alerting.saveAlerting.bind(store.alerting);
    store.alerting.saveAlerting = async () => {
      throw new Error('disk full');
    };
    await expect(manager.receiveAlerts([alert('b1', 'payments-api')], NOW)).rejects.toThrow('disk full');
    store.alerting.saveAlerting = save;
    // The refused alert left no trace: sent again, it is new and opens the incident.
    expect(await manager.receiveAlerts([alert('b1', 'payments-api')], NOW)).toMatchObject({ created: 1, updated: 0 });
    expect(await manager.listIncidents({})).toHaveLength(1);
    expect(manager.firingTechnicalAlerts().map((a) => a.key)).toEqual(['generic:b1']);
    await manager.stop();
    await runtime.close();
  });

  it('refuses transitions it cannot make, with codes', async () => {
    const { runtime, manager } = await open(':memory:');
    await expect(manager.acknowledge('nope', NOW)).rejects.toMatchObject({ code: 'incident_not_found' });
    const { incidents } = await manager.receiveAlerts([alert('c1', 'payments-api')], NOW);
    await manager.resolve(incidents[0]!, NOW + 1000, 'alice');
    await expect(manager.acknowledge(incidents[0]!, NOW + 2000)).rejects.toMatchObject({ code: 'invalid_transition' });
    await manager.stop();
    await runtime.close();
  });
});
