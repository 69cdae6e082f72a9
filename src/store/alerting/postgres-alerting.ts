/** The AlertingStore on PostgreSQL: alerts, incidents and the outbox on the shared pool. */
import type { Alert } from '../../model/alert.js';
import type { Incident, IncidentQuery, PublicText } from '../../model/incident.js';
import type { OutboxMessage } from '../../model/notification.js';
import type { Classification, RegulatoryFlag } from '../../model/regulation.js';
import {
  type AlertRow,
  alertFromRow,
  alertingRows,
  type IncidentRow,
  incidentConflict,
  incidentFromRow,
  incidentNotFound,
  INCIDENT_COLUMNS,
  incidentsSelect,
  incidentCountSelect,
  POSTGRES_INCIDENT_DIALECT,
  OPEN_ALERTS,
  OPEN_INCIDENTS,
  OUTBOX_COLUMNS,
  type OutboxRow,
  outboxMessageFromRow,
  type ClassificationRow,
  classificationFromRow,
  type FlagRow,
  flagsFromRows,
  flagValueText,
  keptIncidentsCte,
} from './alerting-rows.js';
import { inBatches, PURGE_BATCH, type PurgeResult } from '../purge.js';
import { checkedLimit } from '../events/event-rows.js';
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import type { PoolClient } from 'pg';
import { POSTGRES_ALERTING_MIGRATIONS } from './schema.js';
import type { AlertingChanges, AlertingStore } from './alerting-store.js';

// Each batch goes in as one array per column, unnested into rows: one round trip whatever its size.
const UPSERT_ALERTS = `
  INSERT INTO alerts (key, status, incident_id, first_received_at, starts_at, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::json[])
  ON CONFLICT (key) DO UPDATE SET status = excluded.status, incident_id = excluded.incident_id,
    first_received_at = excluded.first_received_at, starts_at = excluded.starts_at, data = excluded.data`;

const UPSERT_INCIDENTS = `
  INSERT INTO incidents (id, status, priority, opened_at, resolved_at, paged, merged_into, journeys, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::bool[], $7::text[], $8::jsonb[], $9::json[])
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, priority = excluded.priority, opened_at = excluded.opened_at,
    resolved_at = excluded.resolved_at, paged = excluded.paged, merged_into = excluded.merged_into,
    journeys = excluded.journeys, data = excluded.data, version = incidents.version + 1
  RETURNING id, version`;
/** Compare-and-set (docs/scale-out.md ("Incident versions")): each row lands only on the version its writer read. */
const UPDATE_INCIDENTS = `
  UPDATE incidents AS i SET status = t.status, priority = t.priority, opened_at = t.opened_at, resolved_at = t.resolved_at,
    paged = t.paged, merged_into = t.merged_into, journeys = t.journeys, data = t.data, version = i.version + 1
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::bool[], $7::text[], $8::jsonb[], $9::json[], $10::int4[])
    AS t(id, status, priority, opened_at, resolved_at, paged, merged_into, journeys, data, expected)
  WHERE i.id = t.id AND i.version = t.expected
  RETURNING i.id, i.version`;

/** ORDER BY ord: seq follows the input order, which orders messages created in the same millisecond. */
const INSERT_OUTBOX = `
  INSERT INTO outbox (${OUTBOX_COLUMNS})
  SELECT ${OUTBOX_COLUMNS}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int4[], $7::int8[], $8::int8[], $9::text[])
       WITH ORDINALITY AS t(${OUTBOX_COLUMNS}, ord)
  ORDER BY ord
  ON CONFLICT (id) DO NOTHING`;

const COUNTS = `
  SELECT (SELECT COUNT(*) FROM alerts WHERE first_received_at >= $1 AND first_received_at < $2) AS "alertsReceived",
         COUNT(*) AS "incidentsOpened", COUNT(*) FILTER (WHERE paged) AS "incidentsPaged"
  FROM incidents WHERE opened_at >= $1 AND opened_at < $2 AND merged_into IS NULL`;

const TECHNICAL_ALERT_COUNTS = `
  SELECT service, COUNT(*)::int AS alerts
  FROM (SELECT data->>'service' AS service FROM alerts
        WHERE first_received_at >= $1 AND first_received_at < $2 AND data->>'source' <> 'slo') AS technical
  WHERE service IS NOT NULL GROUP BY service ORDER BY service COLLATE "C"`;

/** Writes commit like appendEvents (synchronous_commit on at least). */
class PostgresAlerting implements AlertingStore {
  private readonly access: PostgresConnection;

  constructor(access: PostgresConnection) {
    this.access = access;
  }

  async saveAlerting(changes: AlertingChanges): Promise<Map<string, number>> {
    // Encoded before the transaction starts: a value JSON cannot hold fails the call without a round trip.
    const { alerts, incidents, outbox } = alertingRows(changes);
    const classifications = changes.classifications ?? [];
    if (alerts.length + incidents.length + outbox.length + classifications.length === 0) return new Map();
    const column = <R, K extends keyof R>(rows: R[], key: K): R[K][] => rows.map((row) => row[key]);
    return this.access.inTransaction(async (client) => {
      if (alerts.length > 0) {
        await client.query(UPSERT_ALERTS, [
          column(alerts, 'key'),
          column(alerts, 'status'),
          column(alerts, 'incident_id'),
          column(alerts, 'first_received_at'),
          column(alerts, 'starts_at'),
          column(alerts, 'data'),
        ]);
      }
      const versions = new Map<string, number>();
      const fields = (rows: IncidentRow[]): unknown[] => [
        column(rows, 'id'),
        column(rows, 'status'),
        column(rows, 'priority'),
        column(rows, 'opened_at'),
        column(rows, 'resolved_at'),
        column(rows, 'paged'),
        column(rows, 'merged_into'),
        column(rows, 'journeys'),
        column(rows, 'data'),
      ];
      const fresh = incidents.filter((i) => i.version === null);
      const versioned = incidents.filter((i) => i.version !== null);
      if (fresh.length > 0) {
        for (const row of (await client.query<{ id: string; version: number }>(UPSERT_INCIDENTS, fields(fresh))).rows) {
          versions.set(row.id, row.version);
        }
      }
      if (versioned.length > 0) {
        const params = [...fields(versioned), column(versioned, 'version')];
        for (const row of (await client.query<{ id: string; version: number }>(UPDATE_INCIDENTS, params)).rows) {
          versions.set(row.id, row.version);
        }
        const refused = versioned.find((i) => !versions.has(i.id));
        if (refused !== undefined) {
          const { rows } = await client.query<{ version: number }>('SELECT version FROM incidents WHERE id = $1', [refused.id]);
          throw incidentConflict(refused.id, refused.version, rows[0]?.version ?? null);
        }
      }
      if (outbox.length > 0) {
        await client.query(INSERT_OUTBOX, [
          column(outbox, 'id'),
          column(outbox, 'target'),
          column(outbox, 'dedupKey'),
          column(outbox, 'payload'),
          column(outbox, 'createdAt'),
          column(outbox, 'attempts'),
          column(outbox, 'nextAttemptAt'),
          column(outbox, 'deliveredAt'),
          column(outbox, 'lastError'),
        ]);
      }
      if (classifications.length > 0) {
        await client.query(CLASSIFY_MANY, [
          column(classifications, 'incidentId'),
          column(classifications, 'classifiedAt'),
          column(classifications, 'basis'),
          column(classifications, 'reason'),
        ]);
      }
      return versions;
    });
  }

  async alert(key: string): Promise<Alert | null> {
    const { rows } = await this.access.query<AlertRow>('SELECT data FROM alerts WHERE key = $1', [key]);
    return rows[0] === undefined ? null : alertFromRow(rows[0]);
  }

  async alerts(query: { incidentId?: string; keys?: string[] }): Promise<Alert[]> {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (query.incidentId !== undefined) {
      params.push(query.incidentId);
      parts.push(`incident_id = $${params.length}`);
    }
    if (query.keys !== undefined) {
      params.push(query.keys);
      parts.push(`key = ANY($${params.length}::text[])`);
    }
    const where = parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
    const { rows } = await this.access.query<AlertRow>(`SELECT data FROM alerts${where} ORDER BY starts_at, key`, params);
    return rows.map(alertFromRow);
  }

  async openAlerting(): Promise<{ incidents: Incident[]; alerts: Alert[] }> {
    // One snapshot for both reads, so incidents and their alerts agree even while another process writes.
    return this.access.inTransaction(async (client) => {
      const incidents = (await client.query<IncidentRow>(OPEN_INCIDENTS)).rows.map(incidentFromRow);
      const alerts = (await client.query<AlertRow>(OPEN_ALERTS)).rows.map(alertFromRow);
      return { incidents, alerts };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async incident(id: string): Promise<Incident | null> {
    const { rows } = await this.access.query<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : incidentFromRow(rows[0]);
  }

  async incidents(query: IncidentQuery): Promise<Incident[]> {
    const select = incidentsSelect(query, POSTGRES_INCIDENT_DIALECT);
    return (await this.access.query<IncidentRow>(select.sql, select.params)).rows.map(incidentFromRow);
  }

  async incidentCount(query: IncidentQuery): Promise<number> {
    const select = incidentCountSelect(query, POSTGRES_INCIDENT_DIALECT);
    // COUNT is a bigint, which pg hands back as text.
    return Number((await this.access.query<{ count: string }>(select.sql, select.params)).rows[0]!.count);
  }

  async alertingCounts(from: number, to: number): Promise<{ alertsReceived: number; incidentsOpened: number; incidentsPaged: number }> {
    const { rows } = await this.access.query<{ alertsReceived: number; incidentsOpened: number; incidentsPaged: number }>(COUNTS, [
      from,
      to,
    ]);
    return rows[0]!;
  }

  async technicalAlertCounts(from: number, to: number): Promise<Array<{ service: string; alerts: number }>> {
    return (await this.access.query<{ service: string; alerts: number }>(TECHNICAL_ALERT_COUNTS, [from, to])).rows;
  }

  async outboxDue(now: number, limit: number): Promise<OutboxMessage[]> {
    const sql = `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY created_at, seq LIMIT $2`;
    return (await this.access.query<OutboxRow>(sql, [now, checkedLimit(limit)])).rows.map(outboxMessageFromRow);
  }

  async claimOutbox(ids: readonly string[], claimant: string, until: number, now: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    // One statement: row locks make two claimants of one message take turns, and the second sees the first's claim.
    const { rows } = await this.access.query<{ id: string }>(
      `UPDATE outbox SET claimed_by = $2, claimed_until = $3
       WHERE id = ANY($1::text[]) AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $4 OR claimed_by = $2)
       RETURNING id`,
      [ids, claimant, until, now],
    );
    return new Set(rows.map((r) => r.id));
  }

  async updateOutbox(message: OutboxMessage): Promise<void> {
    const { rowCount } = await this.access.query(
      'UPDATE outbox SET attempts = $1, next_attempt_at = $2, delivered_at = $3, last_error = $4 WHERE id = $5',
      [message.attempts, message.nextAttemptAt, message.deliveredAt, message.lastError, message.id],
    );
    if (rowCount === 0) throw new RangeError(`No outbox message has id ${JSON.stringify(message.id)}`);
  }

  async setPublicText(incidentId: string, publicText: PublicText, expectedVersion?: number): Promise<number> {
    return this.access.inTransaction(async (client) => {
      const version = await nextVersion(client, incidentId, expectedVersion ?? null);
      await client.query(
        'INSERT INTO incident_public_texts (incident_id, text, set_by, set_at) VALUES ($1, $2, $3, $4) ' +
          'ON CONFLICT (incident_id) DO UPDATE SET text = excluded.text, set_by = excluded.set_by, set_at = excluded.set_at',
        [incidentId, publicText.text, publicText.setBy, publicText.setAt],
      );
      return version;
    });
  }

  async publicTexts(incidentIds: readonly string[]): Promise<Map<string, PublicText>> {
    if (incidentIds.length === 0) return new Map();
    const { rows } = await this.access.query<{ incident_id: string; text: string; set_by: string | null; set_at: string }>(
      'SELECT incident_id, text, set_by, set_at FROM incident_public_texts WHERE incident_id = ANY($1::text[])',
      [incidentIds],
    );
    // BIGINT comes back as text.
    return new Map(rows.map((row) => [row.incident_id, { text: row.text, setBy: row.set_by, setAt: Number(row.set_at) }]));
  }

  async setRegulatoryFlags(incidentId: string, flags: readonly RegulatoryFlag[], expectedVersion?: number): Promise<number> {
    // Encoded first: a value JSON cannot hold fails the call before the transaction.
    const values = flags.map(flagValueText);
    return this.access.inTransaction(async (client) => {
      const version = await nextVersion(client, incidentId, expectedVersion ?? null);
      if (flags.length > 0) {
        await client.query(SET_FLAGS, [
          incidentId,
          flags.map((f) => f.name),
          values,
          flags.map((f) => f.setBy),
          flags.map((f) => f.setAt),
          flags.map((f) => f.note),
        ]);
      }
      return version;
    });
  }

  async regulatoryFlags(incidentIds: readonly string[]): Promise<Map<string, RegulatoryFlag[]>> {
    if (incidentIds.length === 0) return new Map();
    // As text, so that a flag whose value is a JSON string reads back as on SQLite.
    const sql =
      'SELECT incident_id, name, value::text AS value, set_by, set_at, note FROM incident_regulatory_flags WHERE incident_id = ANY($1::text[])';
    return flagsFromRows((await this.access.query<FlagRow>(sql, [incidentIds])).rows);
  }

  async classify(classification: Classification): Promise<Classification> {
    const c = classification;
    await this.access.query(CLASSIFY_MANY, [[c.incidentId], [c.classifiedAt], [c.basis], [c.reason]]);
    const { rows } = await this.access.query<ClassificationRow>(`${CLASSIFICATIONS} = $1`, [c.incidentId]);
    return classificationFromRow(rows[0]!);
  }

  async classifications(incidentIds: readonly string[]): Promise<Map<string, Classification>> {
    if (incidentIds.length === 0) return new Map();
    const { rows } = await this.access.query<ClassificationRow>(`${CLASSIFICATIONS} = ANY($1::text[])`, [incidentIds]);
    return new Map(rows.map((row) => [row.incident_id, classificationFromRow(row)]));
  }

  async purgeAlerts(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    return inBatches(batch, async () => (await this.access.query(PURGE_ALERTS, [before, batch])).rowCount ?? 0);
  }

  async purgeIncidents(
    before: number,
    options: { keep?: readonly string[]; batch?: number } = {},
  ): Promise<PurgeResult & { alerts: number }> {
    const batch = options.batch ?? PURGE_BATCH;
    const keep = [...(options.keep ?? [])];
    let alerts = 0;
    const purged = await inBatches(batch, () =>
      this.access
        .inTransaction(async (client) => {
          // Locked as chosen, and checked again as deleted: an incident changed meanwhile by another node stays.
          const { rows } = await client.query<{ id: string }>(PURGEABLE_INCIDENTS, [before, keep, batch]);
          if (rows.length === 0) return 0;
          const deleted = await client.query<{ id: string }>(
            "DELETE FROM incidents WHERE id = ANY($1::text[]) AND status = 'resolved' AND resolved_at < $2 RETURNING id",
            [rows.map((r) => r.id), before],
          );
          const ids = deleted.rows.map((r) => r.id);
          const gone = await client.query('DELETE FROM alerts WHERE incident_id = ANY($1::text[])', [ids]);
          for (const table of INCIDENT_SIDE_TABLES) await client.query(`DELETE FROM ${table} WHERE incident_id = ANY($1::text[])`, [ids]);
          // Counted only once committed: a transaction retried after a deadlock starts again from scratch.
          return { incidents: ids.length, alerts: gone.rowCount ?? 0 };
        })
        .then((counts) => {
          if (counts === 0) return 0;
          alerts += counts.alerts;
          return counts.incidents;
        }),
    );
    return { ...purged, alerts };
  }

  async purgeOutbox(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    return inBatches(batch, async () => (await this.access.query(PURGE_OUTBOX, [before, batch])).rowCount ?? 0);
  }
}

/**
 * Adds one to an incident's version, only from `expected` when it is given (docs/scale-out.md ("Incident versions")): the first
 * statement of a change kept beside the incident row, whose row lock holds a concurrent writer until it commits. Returns the new version.
 */
async function nextVersion(client: PoolClient, id: string, expected: number | null): Promise<number> {
  const sql = 'UPDATE incidents SET version = version + 1 WHERE id = $1 AND ($2::int8 IS NULL OR version = $2::int8) RETURNING version';
  const written = (await client.query<{ version: number }>(sql, [id, expected])).rows[0];
  if (written !== undefined) return written.version;
  const { rows } = await client.query<{ version: number }>('SELECT version FROM incidents WHERE id = $1', [id]);
  if (rows[0] === undefined) throw incidentNotFound(id);
  throw incidentConflict(id, expected, rows[0].version);
}

/** The rows of an incident kept apart from it (docs/storage.md ("Tables")): they go with it. */
const INCIDENT_SIDE_TABLES = ['incident_public_texts', 'incident_regulatory_flags', 'incident_classifications'] as const;
const PURGE_ALERTS = `
  DELETE FROM alerts WHERE key IN (
    SELECT key FROM alerts a WHERE a.first_received_at < $1 AND a.status = 'resolved' AND (a.data->>'lastReceivedAt')::bigint < $1
      AND (a.incident_id IS NULL OR NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = a.incident_id))
    LIMIT $2)`;
const PURGEABLE_INCIDENTS = `${keptIncidentsCte('$1', '= ANY($2::text[])')}
  SELECT id FROM incidents WHERE status = 'resolved' AND resolved_at < $1 AND id NOT IN (SELECT id FROM kept)
  ORDER BY resolved_at, id LIMIT $3 FOR UPDATE`;
const PURGE_OUTBOX = `
  DELETE FROM outbox WHERE seq IN (
    SELECT seq FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1 ORDER BY delivered_at LIMIT $2)`;

/** One statement for every flag of a PUT: one atomic write. */
const SET_FLAGS = `
  INSERT INTO incident_regulatory_flags (incident_id, name, value, set_by, set_at, note)
  SELECT $1, * FROM unnest($2::text[], $3::json[], $4::text[], $5::int8[], $6::text[])
  ON CONFLICT (incident_id, name) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at, note = excluded.note`;
const CLASSIFY_MANY = `
  INSERT INTO incident_classifications (incident_id, classified_at, basis, reason)
  SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[])
  ON CONFLICT (incident_id) DO NOTHING`;
const CLASSIFICATIONS = 'SELECT incident_id, classified_at, basis, reason FROM incident_classifications WHERE incident_id';

/** The alerting capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresAlerting: CapabilityBackend<PostgresConnection, AlertingStore> = {
  migrations: POSTGRES_ALERTING_MIGRATIONS,
  open: (connection) => new PostgresAlerting(connection),
};
