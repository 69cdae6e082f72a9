/** The DeploymentStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
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
import { SQLITE_DEPLOYMENTS_MIGRATIONS } from './schema.js';

class SqliteDeployments implements DeploymentStore {
  constructor(private readonly connection: SqliteConnection) {}

  async saveDeployments(deployments: readonly Deployment[]): Promise<void> {
    const sql = `INSERT INTO deployments (${DEPLOYMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ${DEPLOYMENT_UPDATE}`;
    this.connection.guard(() => {
      const stmt = this.connection.stmt(sql);
      for (const d of deployments) stmt.run(...deploymentValues(d));
    });
  }

  async listDeployments(query: { from?: number; to?: number }): Promise<Deployment[]> {
    const sql = `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE started_at >= ? AND started_at < ? ORDER BY started_at DESC, id`;
    return this.connection.guard(() =>
      (this.connection.stmt(sql).all(query.from ?? Number.MIN_SAFE_INTEGER, query.to ?? Number.MAX_SAFE_INTEGER) as DeploymentRow[]).map(
        deploymentFromRow,
      ),
    );
  }

  async addGateException(exception: GateException): Promise<boolean> {
    const sql = `INSERT INTO gate_exceptions (${EXCEPTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
    return this.connection.guard(() => this.connection.stmt(sql).run(...exceptionValues(exception)).changes === 1);
  }

  async listGateExceptions(): Promise<GateException[]> {
    return this.connection.guard(() =>
      (this.connection.stmt(`SELECT ${EXCEPTION_COLUMNS} FROM gate_exceptions ORDER BY created_at, id`).all() as ExceptionRow[]).map(
        exceptionFromRow,
      ),
    );
  }
}

/** The deployments capability's SQLite module, registered in capabilities.ts. */
export const sqliteDeployments: CapabilityBackend<SqliteConnection, DeploymentStore> = {
  migrations: SQLITE_DEPLOYMENTS_MIGRATIONS,
  open: (connection) => new SqliteDeployments(connection),
};
