/** The DeploymentStore capability: deployments and gate exceptions, both kept forever (docs/release.md). */
import type { Deployment, GateException } from '../../model/release.js';

export type { Deployment, GateException };

/** Persistence of deployments (idempotent by id) and of gate exceptions (never deleted). */
export interface DeploymentStore {
  /** Stores each deployment; one whose id is already stored replaces it (a re-post after the deploy finished). */
  saveDeployments(deployments: readonly Deployment[]): Promise<void>;
  /** Deployments with startedAt in [from, to) (either bound optional), newest first, then by id. */
  listDeployments(query: { from?: number; to?: number }): Promise<Deployment[]>;
  /** Stores an exception; false (nothing stored) when its id is taken. */
  addGateException(exception: GateException): Promise<boolean>;
  /** Every exception, expired ones included, oldest first (then by id). */
  listGateExceptions(): Promise<GateException[]>;
}
