/**
 * The incident API (docs/api.md ("Incidents", "Incident history")): list (paged or CSV), one incident, its review, noise, ack and
 * resolve, and its public text (docs/public-page.md ("Public text")).
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { toInstant } from '../../api/common.js';
import { PublicTextResponse } from '../../api/public.js';
import {
  type DoraSummaryJson,
  IncidentDetailResponse,
  IncidentJson,
  IncidentReviewResponse,
  IncidentsResponse,
  NoiseStats,
} from '../../api/incidents.js';
import { RegulatoryFlagsResponse, RegulatoryResponse } from '../../api/regulatory.js';
import { regulatoryMarkdown } from '../../app/read-models/regulatory-report.js';
import type { Principal } from '../../app/access-control.js';
import type { VigilApi } from '../../app/api.js';
import { publicTextOf } from '../../app/public-page.js';
import type { IncidentService } from '../../app/incident-service.js';
import { incidentReview, reviewMarkdown } from '../../app/read-models/incident-review.js';
import { incidentsCsv, MAX_CSV_ROWS } from '../../app/read-models/incident-csv.js';
import { alertJson, incidentJson } from '../../app/read-models/incident-views.js';
import { VigilError } from '../../errors/catalogue.js';
import type { IncidentCursor, IncidentQuery, IncidentStatus, Priority } from '../../model/incident.js';
import { parseJsonBody } from '../json-body.js';
import { requireScope } from '../access.js';
import { acceptOnly, JSON_TYPES } from '../media-types.js';
import { parseInstant } from '../query.js';

export const DEFAULT_INCIDENT_LIMIT = 100;
export const MAX_INCIDENT_LIMIT = 1000;
const STATUSES: readonly IncidentStatus[] = ['open', 'acknowledged', 'resolved'];
const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];
const DAY_MS = 86_400_000;
const MAX_BY_LENGTH = 200;

type Query = Record<string, string | undefined>;

/**
 * The incident version an If-Match header names (docs/api.md ("Incidents")): `"3"` (an entity tag) or `3`; absent → undefined.
 * @example ifMatch('"3"') // 3
 */
export function ifMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = (Array.isArray(header) ? header.join(',') : header).trim();
  const match = /^(?:"(\d{1,15})"|(\d{1,15}))$/.exec(text);
  if (match === null)
    throw new VigilError('invalid_if_match', `If-Match: expected one incident version, as "3", got ${JSON.stringify(text)}`);
  return Number(match[1] ?? match[2]);
}

/** A comma list of allowed values (case-insensitive), or undefined when absent. */
function parseList<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((raw) => {
    const item = allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
    if (!item)
      throw new VigilError(
        'invalid_query',
        `${name}: expected a comma-separated list of ${allowed.join(', ')}, got ${JSON.stringify(raw.trim())}`,
      );
    return item;
  });
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_INCIDENT_LIMIT;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > MAX_INCIDENT_LIMIT) {
    throw new VigilError('invalid_query', `limit: expected a whole number from 1 to ${MAX_INCIDENT_LIMIT}, got ${JSON.stringify(value)}`);
  }
  return limit;
}

const MAX_TEXT_LENGTH = 200;

/**
 * The opaque cursor of the page after `last`: its openedAt and id, base64url-encoded.
 * @example encodeCursor({ openedAt: 1795687200000, id: 'inc-1' }) // 'MTc5NTY4NzIwMDAwMC5pbmMtMQ'
 */
export function encodeCursor(last: IncidentCursor): string {
  return Buffer.from(`${last.openedAt}.${last.id}`, 'utf8').toString('base64url');
}

/** The cursor a previous answer's `next` gave, or invalid_query. */
export function decodeCursor(value: string): IncidentCursor {
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,16})\.(.+)$/s.exec(text);
  if (!match) throw new VigilError('invalid_query', `cursor: ${JSON.stringify(value.slice(0, 100))} is not a cursor this server gave`);
  return { openedAt: Number(match[1]), id: match[2]! };
}

/** The filters of GET /api/v1/incidents, validated. */
export function parseIncidentQuery(query: Query): IncidentQuery {
  const status = parseList(query['status'], 'status', STATUSES);
  const priority = parseList(query['priority'], 'priority', PRIORITIES);
  const journey = query['journey']?.trim();
  const from = query['from'] ? parseInstant(query['from'], 'from', 0) : undefined;
  const to = query['to'] ? parseInstant(query['to'], 'to', 0) : undefined;
  if (from !== undefined && to !== undefined && from > to)
    throw new VigilError('invalid_query', `from (${toInstant(from)}) is after to (${toInstant(to)})`);
  const text = query['q']?.trim();
  if (text !== undefined && text.length > MAX_TEXT_LENGTH)
    throw new VigilError('invalid_query', `q: expected at most ${MAX_TEXT_LENGTH} characters, got ${text.length}`);
  const cursor = query['cursor'] ? decodeCursor(query['cursor']) : undefined;
  return {
    ...(text && { text }),
    ...(cursor && { after: cursor }),
    ...(status && { status }),
    ...(journey && { journey }),
    ...(priority && { priority }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    limit: parseLimit(query['limit']),
  };
}

/**
 * Whether the list is wanted as CSV: `format=csv`, or an Accept header naming text/csv before application/json.
 * @example wantsCsv(undefined, 'text/csv') // true
 */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined && format !== '') {
    const wanted = format.trim().toLowerCase();
    if (wanted !== 'csv' && wanted !== 'json')
      throw new VigilError('invalid_query', `format: expected csv or json, got ${JSON.stringify(format)}`);
    return wanted === 'csv';
  }
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.findIndex((t) => t === 'application/json' || t === '*/*' || t === 'application/*');
  return csv !== -1 && (json === -1 || csv < json);
}

/**
 * Who acknowledged or resolved (docs/access.md ("The actor")): the token's name; the optional body
 * `{ "by": "name" }` is kept only as a note beside it. On an open server (no token needed) the body's
 * `by` is all there is, as before tokens.
 */
function actor(principal: Principal | null, body: unknown): string | undefined {
  const note = parseBy(body);
  if (!principal) return note;
  return note === undefined || note === principal.name ? principal.name : `${principal.name} (note: ${note})`;
}

/** The optional JSON body `{ "by": "name" }`. */
function parseBy(body: unknown): string | undefined {
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  const json = parseJsonBody(body);
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new VigilError('invalid_query', 'body: expected an object such as { "by": "name" }');
  const by = (json as Record<string, unknown>)['by'];
  if (by === undefined || by === null) return undefined;
  if (typeof by !== 'string' || by.trim() === '' || by.length > MAX_BY_LENGTH) {
    throw new VigilError(
      'invalid_query',
      `by: expected a non-empty string of at most ${MAX_BY_LENGTH} characters, got ${JSON.stringify(by)}`,
    );
  }
  return by.trim();
}

/** An incident on the wire with its DORA summary when it is classified major. */
function withDora<T extends object>(json: T, dora: DoraSummaryJson | undefined): T & { dora?: DoraSummaryJson } {
  return dora === undefined ? json : { ...json, dora };
}

export const incidentRoutes: FastifyPluginAsync<{ api: VigilApi; incidents: IncidentService }> = async (app, { api, incidents }) => {
  requireScope(app, api.access, 'read');
  app.get<{ Querystring: Query }>('/api/v1/incidents', { config: { wire: IncidentsResponse } }, async (request, reply) => {
    const query = parseIncidentQuery(request.query);
    if (wantsCsv(request.query['format'], request.headers.accept)) {
      // The export holds every match (up to MAX_CSV_ROWS) unless a limit is given; it streams page by page.
      const exported = request.query['limit'] ? query : { ...query, limit: MAX_CSV_ROWS };
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="incidents.csv"');
      return reply.send(Readable.from(incidentsCsv(exported, (q) => incidents.listIncidents(q))));
    }
    const [list, total] = await Promise.all([incidents.listIncidents(query), incidents.countIncidents(query)]);
    const last = list.at(-1);
    const full = list.length === query.limit;
    const dora = (await incidents.doraSummaries?.(list, api.clock())) ?? new Map();
    return {
      incidents: list.map((i) => withDora(incidentJson(i), dora.get(i.id))),
      total,
      next: full && last ? encodeCursor(last) : null,
    };
  });

  // Registered before /:id so that "stats" is never read as an incident id.
  app.get<{ Querystring: Query }>('/api/v1/incidents/stats', { config: { wire: NoiseStats } }, async (request) => {
    const to = parseInstant(request.query['to'], 'to', api.clock());
    const from = parseInstant(request.query['from'], 'from', to - DAY_MS);
    if (from > to) throw new VigilError('invalid_query', `from (${toInstant(from)}) is after to (${toInstant(to)})`);
    return incidents.stats(from, to);
  });

  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', { config: { wire: IncidentDetailResponse } }, async (request) => {
    const found = await incidents.incident(request.params.id);
    if (!found) throw new VigilError('incident_not_found', `No incident has the id '${request.params.id}'`);
    const omitted = found.alertsOmitted ?? 0;
    const dora = (await incidents.doraSummaries?.([found.incident], api.clock()))?.get(found.incident.id);
    return {
      ...withDora(incidentJson(found.incident), dora),
      alerts: found.alerts.map(alertJson),
      ...(omitted > 0 && { alertsOmitted: omitted }),
    };
  });

  // The review (docs/alerting.md ("Incident review")): JSON, or Markdown for `Accept: text/markdown` or `?format=md`.
  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/api/v1/incidents/:id/review',
    { config: { wire: IncidentReviewResponse } },
    async (request, reply) => {
      const format = request.query['format'];
      if (format !== undefined && format !== 'md' && format !== 'json')
        throw new VigilError('invalid_query', `format: expected md or json, got ${JSON.stringify(format)}`);
      const found = await incidents.incident(request.params.id);
      if (!found) throw new VigilError('incident_not_found', `No incident has the id '${request.params.id}'`);
      const review = incidentReview(found.incident, found.incident.alertCount, api.clock());
      const markdown = format === 'md' || (format === undefined && /\btext\/markdown\b/.test(request.headers.accept ?? ''));
      if (!markdown) return review;
      return reply.type('text/markdown; charset=utf-8').send(reviewMarkdown(review));
    },
  );

  // DORA (docs/dora.md): criteria, decision, clocks and the prefilled report; Markdown for `Accept: text/markdown` or `?format=markdown`.
  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/api/v1/incidents/:id/regulatory',
    { config: { wire: RegulatoryResponse } },
    async (request, reply) => {
      const format = request.query['format'];
      if (format !== undefined && format !== 'markdown' && format !== 'md' && format !== 'json')
        throw new VigilError('invalid_query', `format: expected markdown or json, got ${JSON.stringify(format)}`);
      if (!incidents.regulatory) throw new VigilError('route_not_found', 'This server does not classify incidents');
      const answer = await incidents.regulatory(request.params.id, api.clock());
      const markdown =
        format === 'markdown' || format === 'md' || (format === undefined && /\btext\/markdown\b/.test(request.headers.accept ?? ''));
      if (!markdown) return answer;
      return reply.type('text/markdown; charset=utf-8').send(regulatoryMarkdown(answer));
    },
  );

  // Person flags (docs/dora.md ("Person flags")): author from the token, time from the server clock; If-Match as on ack.
  const putFlags = { config: { wire: RegulatoryFlagsResponse, scope: 'operate' as const }, onRequest: acceptOnly(JSON_TYPES) };
  app.put<{ Params: { id: string } }>('/api/v1/incidents/:id/regulatory/flags', putFlags, async (request) => {
    if (!incidents.setRegulatoryFlags) throw new VigilError('route_not_found', 'This server does not classify incidents');
    const expected = ifMatch(request.headers['if-match']);
    const body = typeof request.body === 'string' && request.body.trim() !== '' ? parseJsonBody(request.body) : undefined;
    // The body's shape is checked before its `by` is read, so a wrong body is one error: invalid_regulatory_flags.
    const by = () => actor(request.principal, request.body) ?? null;
    return incidents.setRegulatoryFlags(request.params.id, body, by, api.clock(), expected);
  });

  // An empty body (no Content-Type) stays allowed: a browser sending one is stopped by the origin check.
  const writeJson = { config: { wire: IncidentJson, scope: 'operate' as const }, onRequest: acceptOnly(JSON_TYPES) };
  // `If-Match: "<version>"` makes the change only on that version of the incident, else 409 incident_conflict.
  app.post<{ Params: { id: string } }>('/api/v1/incidents/:id/ack', writeJson, async (request) => {
    const by = actor(request.principal, request.body);
    return incidentJson(await incidents.acknowledge(request.params.id, api.clock(), by, ifMatch(request.headers['if-match'])));
  });

  app.post<{ Params: { id: string } }>('/api/v1/incidents/:id/resolve', writeJson, async (request) => {
    const by = actor(request.principal, request.body);
    return incidentJson(await incidents.resolve(request.params.id, api.clock(), by, ifMatch(request.headers['if-match'])));
  });

  // The words customers read about this incident on the public page (docs/public-page.md ("Public text")); If-Match as on ack.
  const putText = { config: { wire: PublicTextResponse, scope: 'operate' as const }, onRequest: acceptOnly(JSON_TYPES) };
  app.put<{ Params: { id: string } }>('/api/v1/incidents/:id/public-text', putText, async (request) => {
    const expected = ifMatch(request.headers['if-match']);
    const body = typeof request.body === 'string' && request.body.trim() !== '' ? parseJsonBody(request.body) : undefined;
    // The body's shape is checked before its `by` is read, so a wrong body is one error: invalid_public_text.
    publicTextOf(body);
    return api.publicPage.setPublicText(request.params.id, body, actor(request.principal, request.body) ?? null, expected);
  });
};
