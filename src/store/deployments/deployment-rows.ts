/** Deployment and gate-exception rows as both backends read and write them. */
import type { Deployment, GateException } from '../../model/release.js';

export interface DeploymentRow {
  id: string;
  service: string;
  version: string;
  environment: string | null;
  started_at: number | string;
  finished_at: number | string | null;
  description: string | null;
  author: string | null;
  url: string | null;
  journeys: string;
  received_at: number | string;
}

export const DEPLOYMENT_COLUMNS =
  'id, service, version, environment, started_at, finished_at, description, author, url, journeys, received_at';

export function deploymentFromRow(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    service: row.service,
    version: row.version,
    environment: row.environment,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    description: row.description,
    author: row.author,
    url: row.url,
    journeys: (JSON.parse(row.journeys) as unknown[]).filter((j): j is string => typeof j === 'string'),
    receivedAt: Number(row.received_at),
  };
}

/** The row values of a deployment, in DEPLOYMENT_COLUMNS order. */
export function deploymentValues(d: Deployment): unknown[] {
  return [
    d.id,
    d.service,
    d.version,
    d.environment,
    d.startedAt,
    d.finishedAt,
    d.description,
    d.author,
    d.url,
    JSON.stringify(d.journeys),
    d.receivedAt,
  ];
}

export interface ExceptionRow {
  id: string;
  journey: string | null;
  service: string | null;
  until: number | string;
  reason: string;
  author: string;
  created_at: number | string;
}

export const EXCEPTION_COLUMNS = 'id, journey, service, until, reason, author, created_at';

export function exceptionFromRow(row: ExceptionRow): GateException {
  return {
    id: row.id,
    journey: row.journey,
    service: row.service,
    until: Number(row.until),
    reason: row.reason,
    author: row.author,
    createdAt: Number(row.created_at),
  };
}

export function exceptionValues(e: GateException): unknown[] {
  return [e.id, e.journey, e.service, e.until, e.reason, e.author, e.createdAt];
}

/** Every column but the key, set from the excluded row: the upsert of a re-posted deployment. */
export const DEPLOYMENT_UPDATE = DEPLOYMENT_COLUMNS.split(', ')
  .slice(1)
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');
