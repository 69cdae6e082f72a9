import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { IncomingAlert } from '../model/alert.js';
import { openStore } from '../store/open.js';
import type { AlertingChanges } from '../store/store.js';
import type { ReceiveSummary } from './incident-service.js';
import { CONFLICT_RETRIES, IncidentManager } from './incident-manager.js';
import type { Incident } from '../model/incident.js';
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

  describe('group commit', () => {
    /**
     * The store's saveAlerting wrapped: every call recorded, the first held open until `release()`, so the
     * payloads sent meanwhile gather; calls from `failFrom` on refuse.
     */
    function holdFirstSave(store: Awaited<ReturnType<typeof open>>['store'], log: string[]) {
      const save = store.alerting.saveAlerting.bind(store.alerting);
      const calls: AlertingChanges[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let startedNow!: () => void;
      const started = new Promise<void>((resolve) => {
        startedNow = resolve;
      });
      const control = { calls, release, started, failFrom: Number.POSITIVE_INFINITY };
      store.alerting.saveAlerting = async (changes) => {
        calls.push(changes);
        if (calls.length === 1) {
          startedNow();
          await gate;
        }
        if (calls.length >= control.failFrom) throw new Error('disk full');
        const versions = await save(changes);
        log.push(`transaction ${calls.length} durable`);
        return versions;
      };
      return control;
    }

    it('stores the payloads that arrive during a commit in one transaction, each answered with its own summary', async () => {
      const { store, runtime, manager } = await open(':memory:');
      const log: string[] = [];
      const saves = holdFirstSave(store, log);
      const first = manager.receiveAlerts([alert('g0', 'payments-api')], NOW);
      await saves.started;
      const answered = (name: string) => (summary: ReceiveSummary) => {
        log.push(`${name} answered`);
        return summary;
      };
      const gathered = [
        manager
          .receiveAlerts([alert('g1', 'core-ledger', 'firing', NOW + 1000), alert('g2', 'core-ledger')], NOW + 1000)
          .then(answered('p1')),
        // A re-send of g1 (an update) and an alert on a service no journey uses (its own incident).
        manager
          .receiveAlerts([alert('g1', 'core-ledger', 'firing', NOW + 1000), alert('g3', 'hr-portal')], NOW + 2000)
          .then(answered('p2')),
        // A resolve for an alert never seen: stored, no incident.
        manager.receiveAlerts([alert('g4', 'identity', 'resolved', NOW + 3000)], NOW + 3000).then(answered('p3')),
      ];
      // Not one of them is answered while the first transaction is still open.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(log).toEqual([]);
      saves.release();
      const opened = await first;
      const [p1, p2, p3] = await Promise.all(gathered);

      expect(saves.calls).toHaveLength(2);
      expect(saves.calls[1]!.alerts.map((a) => a.key).sort()).toEqual(['generic:g1', 'generic:g2', 'generic:g3', 'generic:g4']);
      expect(log).toEqual(['transaction 1 durable', 'transaction 2 durable', 'p1 answered', 'p2 answered', 'p3 answered']);
      const ledger = opened.incidents[0]!;
      expect(p1).toEqual({ received: 2, created: 2, updated: 0, incidents: [ledger] });
      expect(p2).toMatchObject({ received: 2, created: 1, updated: 1 });
      // A re-send that changes nothing touches no incident: p2 names only the one its new alert opened.
      expect(p2).toMatchObject({ received: 2, created: 1, updated: 1 });
      expect(p2!.incidents).toHaveLength(1);
      expect(p2!.incidents[0]).not.toBe(ledger);
      expect((await manager.incident(p2!.incidents[0]!))!.incident.services).toEqual(['hr-portal']);
      expect(p3).toEqual({ received: 1, created: 1, updated: 0, incidents: [] });
      const stored = await manager.incident(ledger);
      expect(stored!.incident.alertCount).toBe(3);
      expect(stored!.alerts.map((a) => a.key)).toEqual(['generic:g0', 'generic:g2', 'generic:g1']);
      await manager.stop();
      await runtime.close();
    });

    it('a refused group transaction fails every payload in it and leaves memory as the store has it', async () => {
      const { store, runtime, manager } = await open(':memory:');
      const saves = holdFirstSave(store, []);
      const first = manager.receiveAlerts([alert('h0', 'payments-api')], NOW);
      await saves.started;
      const gathered = [
        manager.receiveAlerts([alert('h1', 'core-ledger')], NOW + 1000),
        manager.receiveAlerts([alert('h2', 'hr-portal'), alert('h0', 'payments-api', 'resolved', NOW + 2000)], NOW + 2000),
      ];
      saves.failFrom = 2;
      saves.release();
      await first;
      // The first transaction went through; the group behind it is refused whole.
      const outcomes = await Promise.allSettled(gathered);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(saves.calls).toHaveLength(2);
      expect(manager.firingTechnicalAlerts().map((a) => a.key)).toEqual(['generic:h0']);
      const [incident] = await manager.listIncidents({});
      expect(incident).toMatchObject({ alertCount: 1, alertKeys: ['generic:h0'] });
      // Sent again, the refused alerts are new.
      saves.failFrom = Number.POSITIVE_INFINITY;
      expect(await manager.receiveAlerts([alert('h1', 'core-ledger'), alert('h2', 'hr-portal')], NOW + 3000)).toMatchObject({
        created: 2,
        updated: 0,
      });
      await manager.stop();
      await runtime.close();
    });
  });

  describe('incident versions (docs/scale-out.md ("Incident versions"))', () => {
    it('a node that lost the lead and still writes from its memory re-reads the incident and re-applies its change: both stay', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-im-'));
      const deposed = await open(`${dir}/vigil.db`);
      const { incidents } = await deposed.manager.receiveAlerts([alert('v1', 'payments-api')], NOW);
      const id = incidents[0]!;
      // The new leader reads the store and acknowledges; the deposed node's memory still holds the incident open.
      const leader = await open(`${dir}/vigil.db`);
      const acked = await leader.manager.acknowledge(id, NOW + 1000, 'alice');
      const saves: number[] = [];
      const save = deposed.store.alerting.saveAlerting.bind(deposed.store.alerting);
      deposed.store.alerting.saveAlerting = async (changes) => {
        saves.push(changes.incidents.find((i) => i.id === id)?.version ?? 0);
        return save(changes);
      };
      const resolved = await deposed.manager.resolve(id, NOW + 2000, 'bob');
      // First from its stale version (refused), then from the version the leader wrote.
      expect(saves).toEqual([acked.version! - 1, acked.version]);
      expect(resolved).toMatchObject({ status: 'resolved', acknowledgedAt: NOW + 1000, version: acked.version! + 1 });
      const stored = (await leader.store.alerting.incident(id))!;
      expect(stored).toMatchObject({ status: 'resolved', acknowledgedAt: NOW + 1000, resolvedAt: NOW + 2000, version: acked.version! + 1 });
      expect(stored.timeline.filter((t) => t.kind === 'acknowledged' || t.kind === 'resolved').map((t) => t.kind)).toEqual([
        'acknowledged',
        'resolved',
      ]);
      for (const node of [deposed, leader]) {
        await node.manager.stop();
        await node.runtime.close();
      }
    });

    /** Wraps saveAlerting: before each of the next `times` calls, another writer rewrites the incident (its version moves on). */
    function concurrentWrites(store: Awaited<ReturnType<typeof open>>['store'], id: string, times: number, change: (i: Incident) => void) {
      const save = store.alerting.saveAlerting.bind(store.alerting);
      const control = { calls: 0 };
      store.alerting.saveAlerting = async (changes) => {
        control.calls++;
        if (control.calls <= times) {
          const other = (await store.alerting.incident(id))!;
          change(other);
          await save({ alerts: [], incidents: [other], outbox: [] });
        }
        return save(changes);
      };
      return control;
    }

    it('gives up when the change no longer applies once re-read (resolved meanwhile): invalid_transition, the other change kept', async () => {
      const { store, runtime, manager } = await open(':memory:');
      const { incidents } = await manager.receiveAlerts([alert('v2', 'payments-api')], NOW);
      const id = incidents[0]!;
      const writes = concurrentWrites(store, id, 1, (i) => Object.assign(i, { status: 'resolved', resolvedAt: NOW + 500 }));
      await expect(manager.acknowledge(id, NOW + 1000, 'alice')).rejects.toMatchObject({ code: 'invalid_transition' });
      expect(writes.calls).toBe(1);
      expect(await store.alerting.incident(id)).toMatchObject({
        status: 'resolved',
        resolvedAt: NOW + 500,
        acknowledgedAt: null,
        version: 2,
      });
      await manager.stop();
      await runtime.close();
    });

    it(`retries at most ${CONFLICT_RETRIES} times, then returns incident_conflict with memory as the store holds it`, async () => {
      const { store, runtime, manager } = await open(':memory:');
      const { incidents } = await manager.receiveAlerts([alert('v3', 'payments-api')], NOW);
      const id = incidents[0]!;
      let n = 0;
      const save = store.alerting.saveAlerting;
      const writes = concurrentWrites(store, id, Number.POSITIVE_INFINITY, (i) => {
        i.title = `rewritten ${++n}`;
      });
      await expect(manager.acknowledge(id, NOW + 1000)).rejects.toMatchObject({ code: 'incident_conflict', status: 409 });
      expect(writes.calls).toBe(CONFLICT_RETRIES + 1);
      const stored = (await store.alerting.incident(id))!;
      expect(stored).toMatchObject({ status: 'open', title: `rewritten ${CONFLICT_RETRIES + 1}`, version: CONFLICT_RETRIES + 2 });
      // Without the other writer, the change goes through from what the store holds.
      store.alerting.saveAlerting = save;
      const acked = await manager.acknowledge(id, NOW + 2000);
      expect(acked).toMatchObject({ status: 'acknowledged', title: `rewritten ${CONFLICT_RETRIES + 1}`, version: CONFLICT_RETRIES + 3 });
      await manager.stop();
      await runtime.close();
    });

    it('an expected version (If-Match) the incident no longer has is refused with its current one; the right one goes through', async () => {
      const { store, runtime, manager } = await open(':memory:');
      const { incidents } = await manager.receiveAlerts([alert('v4', 'payments-api')], NOW);
      const id = incidents[0]!;
      const version = (await store.alerting.incident(id))!.version!;
      await expect(manager.acknowledge(id, NOW + 1000, 'alice', version + 1)).rejects.toMatchObject({
        code: 'incident_conflict',
        message: `Incident ${id} is at version ${version}, not ${version + 1}; re-read it and retry.`,
      });
      expect((await store.alerting.incident(id))!.version).toBe(version);
      expect(await manager.acknowledge(id, NOW + 1000, 'alice', version)).toMatchObject({ status: 'acknowledged', version: version + 1 });
      await expect(manager.resolve(id, NOW + 2000, 'alice', version)).rejects.toMatchObject({ code: 'incident_conflict' });
      await manager.stop();
      await runtime.close();
    });
  });
});
