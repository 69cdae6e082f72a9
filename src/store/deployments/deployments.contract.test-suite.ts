/** The behaviour every DeploymentStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deployment, GateException } from '../../model/release.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

const deployment = (id: string, startedAt: number, overrides: Partial<Deployment> = {}): Deployment => ({
  id,
  service: 'payments-api',
  version: '2.14.0',
  environment: 'production',
  startedAt,
  finishedAt: startedAt + 240_000,
  description: 'New fraud rules',
  author: 'ci',
  url: 'https://ci.example/run/2211',
  journeys: ['wire-transfer'],
  receivedAt: startedAt + 1000,
  ...overrides,
});

const exception = (id: string, createdAt: number, overrides: Partial<GateException> = {}): GateException => ({
  id,
  journey: 'wire-transfer',
  service: null,
  until: createdAt + 3_600_000,
  reason: 'Hotfix for the ledger timeout',
  author: 'ana',
  createdAt,
  ...overrides,
});

/** Registers the DeploymentStore contract suite for one backend (`store.deployments` of a fresh, migrated, empty store). */
export function runDeploymentsContract(name: string, makeStore: StoreFactory): void {
  describe(`DeploymentStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores deployments whole, lists them newest first within [from, to), across a reopen and read-only', async () => {
      expect(await store.deployments.listDeployments({})).toEqual([]);
      const a = deployment('d-a', T0);
      const b = deployment('d-b', T0 + 3_600_000, {
        environment: null,
        finishedAt: null,
        description: null,
        author: null,
        url: null,
        journeys: [],
      });
      const c = deployment('d-c', T0 + 7_200_000, { journeys: ['wire-transfer', 'card-payment'] });
      await store.deployments.saveDeployments([a, b, c]);
      expect(await store.deployments.listDeployments({})).toEqual([c, b, a]);
      expect(await store.deployments.listDeployments({ from: T0 + 1, to: T0 + 7_200_000 })).toEqual([b]);
      expect(await store.deployments.listDeployments({ from: T0 })).toEqual([c, b, a]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.deployments.listDeployments({ to: T0 + 1 })).toEqual([a]);
      await expect(reader.deployments.saveDeployments([deployment('d-x', T0)])).rejects.toMatchObject({ code: 'store_read_only' });
    });

    it('is idempotent by id: a re-post replaces the deployment', async () => {
      await store.deployments.saveDeployments([deployment('d-a', T0, { finishedAt: null })]);
      await store.deployments.saveDeployments([deployment('d-a', T0, { finishedAt: T0 + 60_000, version: '2.14.1' })]);
      const listed = await store.deployments.listDeployments({});
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ finishedAt: T0 + 60_000, version: '2.14.1' });
    });

    it('keeps every gate exception, expired ones included, oldest first; an id is never reused', async () => {
      const first = exception('x-2', T0);
      const second = exception('x-1', T0 + 1, { journey: null, service: 'payments-api', until: T0 + 2 });
      expect(await store.deployments.addGateException(second)).toBe(true);
      expect(await store.deployments.addGateException(first)).toBe(true);
      expect(await store.deployments.addGateException({ ...first, reason: 'again' })).toBe(false);
      expect(await store.deployments.listGateExceptions()).toEqual([first, second]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.deployments.listGateExceptions()).toEqual([first, second]);
      await expect(reader.deployments.addGateException(exception('x-3', T0))).rejects.toMatchObject({ code: 'store_read_only' });
    });
  });
}
