/** The AlertingStore on SQLite: alerts, incidents and the outbox on the shared connection. */
import type Database from 'better-sqlite3';
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
  SQLITE_INCIDENT_DIALECT,
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
import type { SqliteConnection } from '../sqlite/connection.js';
import { SQLITE_ALERTING_MIGRATIONS } from './schema.js';
import type { AlertingChanges, AlertingStore } from './alerting-store.js';

type Rows = ReturnType<typeof alertingRows>;

const UPSERT_ALERT =
  'INSERT INTO alerts (key, status, incident_id, first_received_at, starts_at, data) VALUES (?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (key) DO UPDATE SET status = excluded.status, incident_id = excluded.incident_id, ' +
  'first_received_at = excluded.first_received_at, starts_at = excluded.starts_at, data = excluded.data';
const UPSERT_INCIDENT =
  'INSERT INTO incidents (id, status, priority, opened_at, resolved_at, paged, merged_into, journeys, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (id) DO UPDATE SET status = excluded.status, priority = excluded.priority, opened_at = excluded.opened_at, ' +
  'resolved_at = excluded.resolved_at, paged = excluded.paged, merged_into = excluded.merged_into, journeys = excluded.journeys, data = excluded.data, ' +
  'version = incidents.version + 1 RETURNING version';
/** Compare-and-set (docs/scale-out.md ("Incident versions")): lands only on the version the writer read. */
const UPDATE_INCIDENT =
  'UPDATE incidents SET status = ?, priority = ?, opened_at = ?, resolved_at = ?, paged = ?, merged_into = ?, journeys = ?, data = ?, ' +
  'version = version + 1 WHERE id = ? AND version = ? RETURNING version';
/** A change beside the incident row (public text, person flags) moves its version on, compare-and-set when one is given. */
const NEXT_VERSION = 'UPDATE incidents SET version = version + 1 WHERE id = ? AND (? IS NULL OR version = ?) RETURNING version';
const INSERT_OUTBOX = `INSERT INTO outbox (${OUTBOX_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
const COUNTS =
  'SELECT (SELECT COUNT(*) FROM alerts WHERE first_received_at >= @from AND first_received_at < @to) AS alertsReceived, ' +
  'COUNT(*) AS incidentsOpened, COALESCE(SUM(paged), 0) AS incidentsPaged ' +
  'FROM incidents WHERE opened_at >= @from AND opened_at < @to AND merged_into IS NULL';
const TECHNICAL_ALERT_COUNTS =
  "SELECT json_extract(data, '$.service') AS service, COUNT(*) AS alerts FROM alerts " +
  "WHERE first_received_at >= ? AND first_received_at < ? AND json_extract(data, '$.source') <> 'slo' " +
  "AND json_extract(data, '$.service') IS NOT NULL GROUP BY 1 ORDER BY 1";

/**
 * Writes are IMMEDIATE transactions on the same connection as events, so they are just as durable
 * (WAL, synchronous=FULL).
 */
class SqliteAlerting implements AlertingStore {
  private readonly access: SqliteConnection;
  private readonly saveTransaction: Database.Transaction<(rows: Rows, classifications: readonly Classification[]) => Map<string, number>>;
  private readonly flagsTransaction: Database.Transaction<
    (incidentId: string, flags: readonly RegulatoryFlag[], expected: number | null) => number
  >;
  private readonly textTransaction: Database.Transaction<(incidentId: string, text: PublicText, expected: number | null) => number>;
  private readonly readTransaction: Database.Transaction<() => { incidents: Incident[]; alerts: Alert[] }>;

  constructor(access: SqliteConnection) {
    this.access = access;
    this.saveTransaction = access.db.transaction((rows: Rows, classifications: readonly Classification[]) => {
      const versions = this.saveInTransaction(rows);
      const classify = this.access.stmt(CLASSIFY);
      for (const c of classifications) classify.run(c.incidentId, c.classifiedAt, c.basis, c.reason);
      return versions;
    });
    this.flagsTransaction = access.db.transaction((incidentId: string, flags: readonly RegulatoryFlag[], expected: number | null) => {
      const version = this.nextVersion(incidentId, expected);
      const set = this.access.stmt(SET_FLAG);
      for (const f of flags) set.run(incidentId, f.name, flagValueText(f), f.setBy, f.setAt, f.note);
      return version;
    });
    this.textTransaction = access.db.transaction((incidentId: string, text: PublicText, expected: number | null) => {
      const version = this.nextVersion(incidentId, expected);
      this.access.stmt(SET_PUBLIC_TEXT).run(incidentId, text.text, text.setBy, text.setAt);
      return version;
    });
    // A read transaction sees one snapshot, so incidents and their alerts agree even while another process writes.
    this.readTransaction = access.db.transaction(() => ({
      incidents: (this.access.stmt(OPEN_INCIDENTS).all() as IncidentRow[]).map(incidentFromRow),
      alerts: (this.access.stmt(OPEN_ALERTS).all() as AlertRow[]).map(alertFromRow),
    }));
  }

  async saveAlerting(changes: AlertingChanges): Promise<Map<string, number>> {
    // Encoded before the transaction starts: a value JSON cannot hold fails the call without touching the file.
    const rows = alertingRows(changes);
    return this.access.guard(() => this.saveTransaction.immediate(rows, changes.classifications ?? []));
  }

  /** Writes the rows; returns each incident's new version. An incident whose version moved meanwhile fails it all: incident_conflict. */
  private saveInTransaction(rows: Rows): Map<string, number> {
    const upsertAlert = this.access.stmt(UPSERT_ALERT);
    for (const a of rows.alerts) upsertAlert.run(a.key, a.status, a.incident_id, a.first_received_at, a.starts_at, a.data);
    const versions = new Map<string, number>();
    for (const i of rows.incidents) {
      const fields = [i.status, i.priority, i.opened_at, i.resolved_at, i.paged ? 1 : 0, i.merged_into, i.journeys, i.data];
      const written =
        i.version === null
          ? (this.access.stmt(UPSERT_INCIDENT).get(i.id, ...fields) as { version: number })
          : (this.access.stmt(UPDATE_INCIDENT).get(...fields, i.id, i.version) as { version: number } | undefined);
      if (written === undefined) {
        const row = this.access.stmt('SELECT version FROM incidents WHERE id = ?').get(i.id) as { version: number } | undefined;
        throw incidentConflict(i.id, i.version, row?.version ?? null);
      }
      versions.set(i.id, written.version);
    }
    const insertOutbox = this.access.stmt(INSERT_OUTBOX);
    for (const m of rows.outbox) {
      insertOutbox.run(m.id, m.target, m.dedupKey, m.payload, m.createdAt, m.attempts, m.nextAttemptAt, m.deliveredAt, m.lastError);
    }
    return versions;
  }

  /**
   * Adds one to an incident's version, only from `expected` when it is given (docs/scale-out.md ("Incident versions")):
   * the first statement of a change kept beside the incident row. Returns the new version.
   */
  private nextVersion(id: string, expected: number | null): number {
    const written = this.access.stmt(NEXT_VERSION).get(id, expected, expected) as { version: number } | undefined;
    if (written !== undefined) return written.version;
    const row = this.access.stmt('SELECT version FROM incidents WHERE id = ?').get(id) as { version: number } | undefined;
    if (row === undefined) throw incidentNotFound(id);
    throw incidentConflict(id, expected, row.version);
  }

  async alert(key: string): Promise<Alert | null> {
    const row = this.access.guard(() => this.access.stmt('SELECT data FROM alerts WHERE key = ?').get(key) as AlertRow | undefined);
    return row === undefined ? null : alertFromRow(row);
  }

  async alerts(query: { incidentId?: string; keys?: string[] }): Promise<Alert[]> {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (query.incidentId !== undefined) {
      parts.push('incident_id = ?');
      params.push(query.incidentId);
    }
    if (query.keys !== undefined) {
      parts.push('key IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(query.keys));
    }
    const where = parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
    const sql = `SELECT data FROM alerts${where} ORDER BY starts_at, key`;
    return this.access.guard(() => (this.access.stmt(sql).all(...params) as AlertRow[]).map(alertFromRow));
  }

  async openAlerting(): Promise<{ incidents: Incident[]; alerts: Alert[] }> {
    return this.access.guard(() => this.readTransaction.deferred());
  }

  async incident(id: string): Promise<Incident | null> {
    const row = this.access.guard(
      () => this.access.stmt(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ?`).get(id) as IncidentRow | undefined,
    );
    return row === undefined ? null : incidentFromRow(row);
  }

  async incidents(query: IncidentQuery): Promise<Incident[]> {
    const select = incidentsSelect(query, SQLITE_INCIDENT_DIALECT);
    return this.access.guard(() => (this.access.stmt(select.sql).all(...select.params) as IncidentRow[]).map(incidentFromRow));
  }

  async incidentCount(query: IncidentQuery): Promise<number> {
    const select = incidentCountSelect(query, SQLITE_INCIDENT_DIALECT);
    return this.access.guard(() => (this.access.stmt(select.sql).get(...select.params) as { count: number }).count);
  }

  async alertingCounts(from: number, to: number): Promise<{ alertsReceived: number; incidentsOpened: number; incidentsPaged: number }> {
    return this.access.guard(
      () => this.access.stmt(COUNTS).get({ from, to }) as { alertsReceived: number; incidentsOpened: number; incidentsPaged: number },
    );
  }

  async technicalAlertCounts(from: number, to: number): Promise<Array<{ service: string; alerts: number }>> {
    return this.access.guard(() => this.access.stmt(TECHNICAL_ALERT_COUNTS).all(from, to) as Array<{ service: string; alerts: number }>);
  }

  async outboxDue(now: number, limit: number): Promise<OutboxMessage[]> {
    const sql = `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, seq LIMIT ?`;
    const checked = checkedLimit(limit)!;
    return this.access.guard(() => (this.access.stmt(sql).all(now, checked) as OutboxRow[]).map(outboxMessageFromRow));
  }

  async claimOutbox(ids: readonly string[], claimant: string, until: number, now: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const sql =
      'UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT value FROM json_each(?)) AND delivered_at IS NULL ' +
      'AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?) RETURNING id';
    const rows = this.access.guard(
      () => this.access.stmt(sql).all(claimant, until, JSON.stringify(ids), now, claimant) as { id: string }[],
    );
    return new Set(rows.map((r) => r.id));
  }

  async updateOutbox(message: OutboxMessage): Promise<void> {
    const sql = 'UPDATE outbox SET attempts = ?, next_attempt_at = ?, delivered_at = ?, last_error = ? WHERE id = ?';
    const { changes } = this.access.guard(() =>
      this.access.stmt(sql).run(message.attempts, message.nextAttemptAt, message.deliveredAt, message.lastError, message.id),
    );
    if (changes === 0) throw new RangeError(`No outbox message has id ${JSON.stringify(message.id)}`);
  }

  async setPublicText(incidentId: string, publicText: PublicText, expectedVersion?: number): Promise<number> {
    return this.access.guard(() => this.textTransaction.immediate(incidentId, publicText, expectedVersion ?? null));
  }

  async publicTexts(incidentIds: readonly string[]): Promise<Map<string, PublicText>> {
    if (incidentIds.length === 0) return new Map();
    const rows = this.access.guard(() => this.access.stmt(PUBLIC_TEXTS).all(JSON.stringify(incidentIds)) as PublicTextRow[]);
    return new Map(rows.map((row) => [row.incident_id, { text: row.text, setBy: row.set_by, setAt: Number(row.set_at) }]));
  }

  async setRegulatoryFlags(incidentId: string, flags: readonly RegulatoryFlag[], expectedVersion?: number): Promise<number> {
    // Encoded first: a value JSON cannot hold fails the call before the transaction.
    for (const f of flags) flagValueText(f);
    return this.access.guard(() => this.flagsTransaction.immediate(incidentId, flags, expectedVersion ?? null));
  }

  async regulatoryFlags(incidentIds: readonly string[]): Promise<Map<string, RegulatoryFlag[]>> {
    if (incidentIds.length === 0) return new Map();
    const sql =
      'SELECT incident_id, name, value, set_by, set_at, note FROM incident_regulatory_flags WHERE incident_id IN (SELECT value FROM json_each(?))';
    return flagsFromRows(this.access.guard(() => this.access.stmt(sql).all(JSON.stringify(incidentIds)) as FlagRow[]));
  }

  async classify(classification: Classification): Promise<Classification> {
    const c = classification;
    return this.access.guard(() => {
      this.access.stmt(CLASSIFY).run(c.incidentId, c.classifiedAt, c.basis, c.reason);
      return classificationFromRow(this.access.stmt(`${CLASSIFICATIONS} = ?`).get(c.incidentId) as ClassificationRow);
    });
  }

  async classifications(incidentIds: readonly string[]): Promise<Map<string, Classification>> {
    if (incidentIds.length === 0) return new Map();
    const rows = this.access.guard(
      () =>
        this.access.stmt(`${CLASSIFICATIONS} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(incidentIds)) as ClassificationRow[],
    );
    return new Map(rows.map((row) => [row.incident_id, classificationFromRow(row)]));
  }

  async purgeAlerts(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    return inBatches(batch, () => this.access.guard(() => this.access.stmt(PURGE_ALERTS).run(before, before, batch).changes));
  }

  async purgeIncidents(
    before: number,
    options: { keep?: readonly string[]; batch?: number } = {},
  ): Promise<PurgeResult & { alerts: number }> {
    const batch = options.batch ?? PURGE_BATCH;
    const keep = JSON.stringify(options.keep ?? []);
    let alerts = 0;
    const purged = await inBatches(batch, () => {
      // Counted once committed: a batch whose transaction fails deletes nothing.
      const counts = this.access.guard(() =>
        this.access.db
          .transaction(() => {
            const ids = (this.access.stmt(PURGEABLE_INCIDENTS).all(before, keep, before, batch) as { id: string }[]).map((r) => r.id);
            if (ids.length === 0) return { incidents: 0, alerts: 0 };
            const list = JSON.stringify(ids);
            const gone = this.access.stmt(`DELETE FROM alerts WHERE incident_id ${IN_LIST}`).run(list).changes;
            for (const table of INCIDENT_SIDE_TABLES) this.access.stmt(`DELETE FROM ${table} WHERE incident_id ${IN_LIST}`).run(list);
            return { incidents: this.access.stmt(`DELETE FROM incidents WHERE id ${IN_LIST}`).run(list).changes, alerts: gone };
          })
          .immediate(),
      );
      alerts += counts.alerts;
      return counts.incidents;
    });
    return { ...purged, alerts };
  }

  async purgeOutbox(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    return inBatches(batch, () => this.access.guard(() => this.access.stmt(PURGE_OUTBOX).run(before, batch).changes));
  }
}

const IN_LIST = 'IN (SELECT value FROM json_each(?))';
/** The rows of an incident kept apart from it (docs/storage.md ("Tables")): they go with it. */
const INCIDENT_SIDE_TABLES = ['incident_public_texts', 'incident_regulatory_flags', 'incident_classifications'] as const;
const PURGE_ALERTS =
  'DELETE FROM alerts WHERE key IN (SELECT key FROM alerts a WHERE a.first_received_at < ? ' +
  "AND a.status = 'resolved' AND json_extract(a.data, '$.lastReceivedAt') < ? " +
  'AND (a.incident_id IS NULL OR NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = a.incident_id)) LIMIT ?)';
const PURGEABLE_INCIDENTS =
  `${keptIncidentsCte('?', IN_LIST)} SELECT id FROM incidents WHERE status = 'resolved' AND resolved_at < ? ` +
  'AND id NOT IN (SELECT id FROM kept) ORDER BY resolved_at, id LIMIT ?';
const PURGE_OUTBOX =
  'DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ? ORDER BY delivered_at LIMIT ?)';

const SET_FLAG =
  'INSERT INTO incident_regulatory_flags (incident_id, name, value, set_by, set_at, note) VALUES (?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (incident_id, name) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at, note = excluded.note';
const CLASSIFY =
  'INSERT INTO incident_classifications (incident_id, classified_at, basis, reason) VALUES (?, ?, ?, ?) ON CONFLICT (incident_id) DO NOTHING';
const CLASSIFICATIONS = 'SELECT incident_id, classified_at, basis, reason FROM incident_classifications WHERE incident_id';

interface PublicTextRow {
  incident_id: string;
  text: string;
  set_by: string | null;
  set_at: number;
}
const SET_PUBLIC_TEXT =
  'INSERT INTO incident_public_texts (incident_id, text, set_by, set_at) VALUES (?, ?, ?, ?) ' +
  'ON CONFLICT (incident_id) DO UPDATE SET text = excluded.text, set_by = excluded.set_by, set_at = excluded.set_at';
const PUBLIC_TEXTS =
  'SELECT incident_id, text, set_by, set_at FROM incident_public_texts WHERE incident_id IN (SELECT value FROM json_each(?))';

/** The alerting capability's SQLite module, registered in capabilities.ts. */
export const sqliteAlerting: CapabilityBackend<SqliteConnection, AlertingStore> = {
  migrations: SQLITE_ALERTING_MIGRATIONS,
  open: (connection) => new SqliteAlerting(connection),
};
