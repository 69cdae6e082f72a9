/** What both backends share for alerts, incidents and the outbox: JSON encoding, row shapes, the incident query. */
import { MAX_INCIDENT_ALERT_KEYS } from '../../incidents/incident-track.js';
import type { Alert } from '../../model/alert.js';
import type { Impact, Incident, IncidentQuery } from '../../model/incident.js';
import { money } from '../../model/money.js';
import type { OutboxMessage } from '../../model/notification.js';
import type { Classification, RegulatoryFlag, RegulatoryFlagName } from '../../model/regulation.js';
import { checkedLimit } from '../events/event-rows.js';
import { VigilError } from '../../errors/catalogue.js';
import type { AlertingChanges } from './alerting-store.js';

/** incidents() returns at most this many when the query sets no limit. */
export const DEFAULT_INCIDENT_LIMIT = 100;

/** Columns of the outbox table, in the order every SELECT of whole messages uses. */
export const OUTBOX_COLUMNS = 'id, target, dedup_key, payload, created_at, attempts, next_attempt_at, delivered_at, last_error';

export interface AlertRow {
  key: string;
  status: string;
  incident_id: string | null;
  first_received_at: number;
  starts_at: number;
  data: string;
}

export interface IncidentRow {
  id: string;
  status: string;
  priority: string;
  opened_at: number;
  resolved_at: number | null;
  paged: boolean;
  merged_into: string | null;
  journeys: string;
  data: string;
  /** Read: the row's version. Written: the version the writer read (null: none, a new incident), the row's until the write. */
  version: number | null;
}

export interface OutboxRow {
  id: string;
  target: string;
  dedup_key: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

/**
 * JSON text of a stored object. NaN and ±Infinity are refused rather than silently stored as null, so
 * what is read back is always what was saved.
 */
export function jsonText(value: unknown, what: string): string {
  // A plain walk, then a plain stringify: several times faster than a replacer called for every value.
  const bad = nonFinitePath(value, '');
  if (bad !== null) throw new TypeError(`${what}: ${bad.path || 'value'} is ${bad.value}, which JSON cannot store`);
  return JSON.stringify(value);
}

/** The first number JSON cannot hold (NaN, ±Infinity), with the name of its field, or null. */
function nonFinitePath(value: unknown, field: string): { path: string; value: number } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path: field, value };
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = nonFinitePath(value[i], String(i));
      if (bad !== null) return bad;
    }
    return null;
  }
  for (const key in value) {
    const bad = nonFinitePath((value as Record<string, unknown>)[key], key);
    if (bad !== null) return bad;
  }
  return null;
}

/** The JSON column as read: text (SQLite) or already parsed (PostgreSQL json). */
export function parseData<T>(data: unknown): T {
  return (typeof data === 'string' ? JSON.parse(data) : data) as T;
}

/**
 * The rows a saveAlerting writes. An alert or incident given twice is written once, as its last
 * version; rows come sorted by key so concurrent writers lock them in the same order. Outbox messages
 * keep their order (it orders messages created in the same millisecond).
 */
export function alertingRows(changes: AlertingChanges): { alerts: AlertRow[]; incidents: IncidentRow[]; outbox: OutboxMessage[] } {
  const alerts = new Map<string, AlertRow>();
  for (const a of changes.alerts) {
    alerts.set(a.key, {
      key: a.key,
      status: a.status,
      incident_id: a.incidentId,
      first_received_at: a.firstReceivedAt,
      starts_at: a.startsAt,
      data: jsonText(a, `alert ${a.key}`),
    });
  }
  const incidents = new Map<string, IncidentRow>();
  for (const i of changes.incidents) {
    // The version is the row's own column, not part of its data.
    const { version, ...data } = i;
    incidents.set(i.id, {
      id: i.id,
      status: i.status,
      priority: i.priority,
      opened_at: i.openedAt,
      resolved_at: i.resolvedAt,
      paged: i.paged,
      merged_into: i.mergedInto,
      journeys: jsonText(i.journeys, `incident ${i.id} journeys`),
      data: jsonText(data, `incident ${i.id}`),
      version: version ?? null,
    });
  }
  const byKey = <R>(rows: Map<string, R>): R[] =>
    [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  return { alerts: byKey(alerts), incidents: byKey(incidents), outbox: [...changes.outbox] };
}

export function alertFromRow(row: { data: unknown }): Alert {
  return parseData<Alert>(row.data);
}

export function incidentFromRow(row: { data: unknown; version?: unknown }): Incident {
  // Incidents stored before figures were kept read back without them, which the wire shows as `figures: null`
  // (docs/alerting.md ("What an incident keeps")): what was saved is what reads back.
  const incident = upgradeAlertCount(upgradeImpact(parseData<Incident>(row.data)));
  if (row.version !== undefined && row.version !== null) incident.version = Number(row.version);
  return incident;
}

/** The columns every read of whole incidents selects. */
export const INCIDENT_COLUMNS = 'data, version';

/** A write from a version the row no longer has (docs/scale-out.md ("Incident versions")); `current` is null when the row is gone. */
export function incidentConflict(id: string, expected: number | null, current: number | null): VigilError {
  const now = current === null ? 'no longer stored' : `now at version ${current}`;
  const from = expected === null ? 'as a new incident' : `from version ${expected}`;
  return new VigilError('incident_conflict', `Incident ${id} was changed meanwhile: written ${from}, it is ${now}; re-read it and retry.`);
}

/** No incident row has this id: a change beside the incident (public text, person flags) is refused. */
export function incidentNotFound(id: string): VigilError {
  return new VigilError('incident_not_found', `No incident has the id '${id}'`);
}

/**
 * Incidents stored before the key list was bounded list every alert and have no `alertCount`: count the list,
 * and keep its first MAX_INCIDENT_ALERT_KEYS, as an incident stored now would.
 */
function upgradeAlertCount(incident: Incident): Incident {
  if (typeof incident.alertCount === 'number' || !Array.isArray(incident.alertKeys)) return incident;
  return { ...incident, alertCount: incident.alertKeys.length, alertKeys: incident.alertKeys.slice(0, MAX_INCIDENT_ALERT_KEYS) };
}

/**
 * Incidents stored before value at risk was kept per currency hold one number and `currency`; read
 * them as a list of one amount (or none), so old rows need no migration.
 */
function upgradeImpact(incident: Incident): Incident {
  const impact = incident.impact as (Omit<Impact, 'valueAtRiskPerHour'> & { valueAtRiskPerHour: unknown; currency?: string | null }) | null;
  if (impact === null || impact === undefined) return { ...incident, impact: null };
  if (Array.isArray(impact.valueAtRiskPerHour)) return incident;
  const { currency, valueAtRiskPerHour, ...rest } = impact;
  const amount = typeof valueAtRiskPerHour === 'number' ? valueAtRiskPerHour : 0;
  const list = amount !== 0 && typeof currency === 'string' ? [money(amount, currency)] : [];
  return { ...incident, impact: { ...rest, valueAtRiskPerHour: list } };
}

export function outboxMessageFromRow(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    target: row.target,
    dedupKey: row.dedup_key,
    payload: row.payload,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
  };
}

/** The incident fields the text filter reads: two strings and the services array as JSON text. */
export type IncidentTextField = 'title' | 'reason' | 'services';

/** How a backend writes the parts of an incident query that differ between SQLite and PostgreSQL. */
export interface IncidentSqlDialect {
  /** The n-th parameter (`?` or `$n`). */
  placeholder: (n: number) => string;
  /** The test that the incident's journeys JSON array holds the value of parameter p. */
  journeyContains: (param: string) => string;
  /** The text of one field of `data`, for the text filter. */
  field: (name: IncidentTextField) => string;
  /** The 1-based position of needle in haystack, 0 when absent. */
  position: (haystack: string, needle: string) => string;
}

/** WHERE clause of the filters of a query (not its cursor nor its limit), or '' without any. */
function incidentFilters(query: IncidentQuery, dialect: IncidentSqlDialect, param: (value: unknown) => string): string[] {
  const oneOf = (column: string, values: readonly string[]): string =>
    values.length === 0 ? '1 = 0' : `${column} IN (${values.map((v) => param(v)).join(', ')})`;
  const parts: string[] = [];
  if (query.status !== undefined) parts.push(oneOf('status', query.status));
  if (query.priority !== undefined) parts.push(oneOf('priority', query.priority));
  if (query.journey !== undefined) parts.push(dialect.journeyContains(param(query.journey)));
  // Open at some time in [from, to): its interval [openedAt, resolvedAt ?? ∞) overlaps the range. An
  // incident opened and resolved in the same millisecond counts as open at that millisecond.
  if (query.to !== undefined) parts.push(`opened_at < ${param(query.to)}`);
  if (query.from !== undefined)
    parts.push(`(resolved_at IS NULL OR resolved_at > ${param(query.from)} OR opened_at >= ${param(query.from)})`);
  // lower() folds ASCII letters alike on both backends (SQLite folds no others), so the needle is folded the same way
  // here; strpos/instr, unlike LIKE, give % and _ no meaning.
  if (query.text !== undefined && query.text !== '') {
    const needle = query.text.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const fields: IncidentTextField[] = ['title', 'reason', 'services'];
    parts.push(`(${fields.map((f) => `${dialect.position(`lower(${dialect.field(f)})`, param(needle))} > 0`).join(' OR ')})`);
  }
  return parts;
}

/**
 * The SELECT of incidents matching the query, newest opened first, with its parameters; `after` continues
 * the list past a cursor (keyset paging, stable while new incidents open).
 * @example incidentsSelect({ text: 'ledger', limit: 50 }, SQLITE_INCIDENT_DIALECT)
 */
export function incidentsSelect(query: IncidentQuery, dialect: IncidentSqlDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const parts = incidentFilters(query, dialect, param);
  if (query.after !== undefined) {
    const at = param(query.after.openedAt);
    parts.push(`(opened_at < ${at} OR (opened_at = ${param(query.after.openedAt)} AND id < ${param(query.after.id)}))`);
  }
  const limit = checkedLimit(query.limit) ?? DEFAULT_INCIDENT_LIMIT;
  const where = parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
  return { sql: `SELECT ${INCIDENT_COLUMNS} FROM incidents${where} ORDER BY opened_at DESC, id DESC LIMIT ${param(limit)}`, params };
}

/**
 * The COUNT of incidents matching the query's filters (its cursor and limit aside), with its parameters.
 * @example incidentCountSelect({ priority: ['P1'] }, POSTGRES_INCIDENT_DIALECT)
 */
export function incidentCountSelect(query: IncidentQuery, dialect: IncidentSqlDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const parts = incidentFilters(query, dialect, param);
  const where = parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
  return { sql: `SELECT COUNT(*) AS count FROM incidents${where}`, params };
}

/** SQLite: `?` parameters, json_each over the journeys column, json_extract of `data`. */
export const SQLITE_INCIDENT_DIALECT: IncidentSqlDialect = {
  placeholder: () => '?',
  journeyContains: (p) => `EXISTS (SELECT 1 FROM json_each(incidents.journeys) WHERE value = ${p})`,
  field: (name) => `json_extract(data, '$.${name}')`,
  position: (haystack, needle) => `instr(${haystack}, ${needle})`,
};

/** PostgreSQL: `$n` parameters, jsonb's `?` over journeys, `->>` of `data`. */
export const POSTGRES_INCIDENT_DIALECT: IncidentSqlDialect = {
  placeholder: (n) => `$${n}`,
  journeyContains: (p) => `journeys ? ${p}`,
  field: (name) => (name === 'services' ? `(data->'services')::text` : `(data->>'${name}')`),
  position: (haystack, needle) => `strpos(${haystack}, ${needle})`,
};

// The open correlation state, in SQL both backends run as it is. Written as IN and as two disjoint halves (UNION ALL)
// so that each part can use an index: the status index for unresolved incidents, the partial index for firing alerts,
// incident_id for the rest.
export const OPEN_INCIDENTS = "SELECT data, version FROM incidents WHERE status IN ('open', 'acknowledged') ORDER BY opened_at, id";
export const OPEN_ALERTS = `
  SELECT data FROM (
    SELECT key, starts_at, data FROM alerts WHERE status = 'firing'
    UNION ALL
    SELECT a.key, a.starts_at, a.data FROM incidents i JOIN alerts a ON a.incident_id = i.id
    WHERE i.status IN ('open', 'acknowledged') AND a.status <> 'firing'
  ) AS open_alerts ORDER BY starts_at, key`;

/** A row of incident_regulatory_flags. */
export interface FlagRow {
  incident_id: string;
  name: string;
  /** JSON text (both backends), null when cleared. */
  value: string | null;
  set_by: string | null;
  set_at: number | string;
  note: string | null;
}

/** A row of incident_classifications. */
export interface ClassificationRow {
  incident_id: string;
  classified_at: number | string;
  basis: string;
  reason: string;
}

/** The JSON text a flag's value is stored as; null when cleared. */
export function flagValueText(flag: RegulatoryFlag): string | null {
  return flag.value === null ? null : jsonText(flag.value, `flag ${flag.name}`);
}

/** Flags by incident, each list by name, from rows in any order. */
export function flagsFromRows(rows: readonly FlagRow[]): Map<string, RegulatoryFlag[]> {
  const out = new Map<string, RegulatoryFlag[]>();
  for (const row of rows) {
    const flag: RegulatoryFlag = {
      name: row.name as RegulatoryFlagName,
      value: row.value === null ? null : (JSON.parse(row.value) as RegulatoryFlag['value']),
      setBy: row.set_by,
      setAt: Number(row.set_at),
      note: row.note,
    };
    const list = out.get(row.incident_id) ?? [];
    list.push(flag);
    out.set(row.incident_id, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

export function classificationFromRow(row: ClassificationRow): Classification {
  return {
    incidentId: row.incident_id,
    classifiedAt: Number(row.classified_at),
    basis: row.basis as Classification['basis'],
    reason: row.reason,
  };
}

/**
 * The incidents a purge must keep whatever their age (AlertingStore.purgeIncidents): not resolved before the cut-off,
 * named in the keep list, holding a firing alert — and, through merges in either direction, every incident merged with
 * one of those. `before` and `keep` are the dialect's placeholders (keep: a list parameter).
 */
export function keptIncidentsCte(before: string, keepIn: string): string {
  return `WITH RECURSIVE kept(id) AS (
    SELECT id FROM incidents
    WHERE status <> 'resolved' OR resolved_at IS NULL OR resolved_at >= ${before} OR id ${keepIn}
      OR id IN (SELECT incident_id FROM alerts WHERE status = 'firing' AND incident_id IS NOT NULL)
    UNION
    SELECT merge.other FROM kept
    JOIN (SELECT id AS one, merged_into AS other FROM incidents WHERE merged_into IS NOT NULL
          UNION ALL SELECT merged_into AS one, id AS other FROM incidents WHERE merged_into IS NOT NULL) AS merge
      ON merge.one = kept.id
  )`;
}
