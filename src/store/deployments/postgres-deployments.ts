/** The DeploymentStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import type { Deployment, DeploymentStore, GateException } from './deployment-store.js';
import {
  DEPLOYMENT_COLUMNS,
  DEPLOYMENT_UPDATE,
  type DeploymentRow,
  deploymentFromRow,
  deploymentValues,
  EXCEPTION_COLUMNS,
  type ExceptionRow,
  exceptionFromRow,
  exceptionValues,
} from './deployment-rows.js';
import { POSTGRES_DEPLOYMENTS_MIGRATIONS } from './schema.js';

const PLACEHOLDERS = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');

class PostgresDeployments implements DeploymentStore {
  constructor(private readonly connection: PostgresConnection) {}

  async saveDeployments(deployments: readonly Deployment[]): Promise<void> {
    const sql = `INSERT INTO deployments (${DEPLOYMENT_COLUMNS}) VALUES (${PLACEHOLDERS(11)}) ON CONFLICT (id) DO UPDATE SET ${DEPLOYMENT_UPDATE}`;
    for (const d of deployments) await this.connection.query(sql, deploymentValues(d));
  }

  async listDeployments(query: { from?: number; to?: number }): Promise<Deployment[]> {
    const sql = `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE started_at >= $1 AND started_at < $2 ORDER BY started_at DESC, id`;
    const { rows } = await this.connection.query<DeploymentRow>(sql, [
      query.from ?? Number.MIN_SAFE_INTEGER,
      query.to ?? Number.MAX_SAFE_INTEGER,
    ]);
    return rows.map(deploymentFromRow);
  }

  async addGateException(exception: GateException): Promise<boolean> {
    const sql = `INSERT INTO gate_exceptions (${EXCEPTION_COLUMNS}) VALUES (${PLACEHOLDERS(7)}) ON CONFLICT (id) DO NOTHING`;
    return (await this.connection.query(sql, exceptionValues(exception))).rowCount === 1;
  }

  async listGateExceptions(): Promise<GateException[]> {
    const { rows } = await this.connection.query<ExceptionRow>(`SELECT ${EXCEPTION_COLUMNS} FROM gate_exceptions ORDER BY created_at, id`);
    return rows.map(exceptionFromRow);
  }
}

/** The deployments capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresDeployments: CapabilityBackend<PostgresConnection, DeploymentStore> = {
  migrations: POSTGRES_DEPLOYMENTS_MIGRATIONS,
  open: (connection) => new PostgresDeployments(connection),
};
