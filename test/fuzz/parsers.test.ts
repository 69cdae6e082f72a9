// Property-based fuzzing of every parser through its real route or loader: a coded 4xx or success, never a 500 or a crash.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../../src/config/load.js';
import { type IncidentServer, startIncidentServer } from '../helpers/incident-server.js';

const RUNS = { numRuns: 200, seed: 8 };
/** Generous bound per case: these run on a busy 2-core machine. */
const CASE_MS = 5_000;

let server: IncidentServer;
beforeAll(async () => {
  server = await startIncidentServer();
});
afterAll(async () => server.close());

/**
 * Any JSON value, nesting deep enough to pass the 64-level limit of src/server/json-body.ts now and then,
 * `__proto__` keys included (refused with a code, never a 500).
 */
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }),
  fc.integer({ min: 60, max: 200 }).map((depth) => JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`) as unknown),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`) as unknown),
);

/** A well-formed answer: success, or a 4xx carrying a catalogued code. */
async function expectCoded(response: { statusCode: number; json: () => unknown }): Promise<void> {
  expect(response.statusCode).toBeLessThan(500);
  if (response.statusCode >= 400) expect((response.json() as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/);
}

async function timed(work: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await work();
  expect(performance.now() - t0).toBeLessThan(CASE_MS);
}

describe('POST /api/v1/events', () => {
  it('answers any JSON or NDJSON body with 200 or a coded 400', async () => {
    const line = fc.oneof(
      json.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    const body = fc.oneof(
      json.map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
      fc.array(line, { maxLength: 20 }).map((lines) => ({ type: 'application/x-ndjson', text: lines.join('\n') })),
      fc.string({ maxLength: 200 }).map((text) => ({ type: 'application/json', text })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ type, text }) =>
        timed(async () => {
          const response = await server.app.inject({
            method: 'POST',
            url: '/api/v1/events',
            payload: text,
            headers: { 'content-type': type },
          });
          expect([200, 400]).toContain(response.statusCode);
          const answer = response.json() as { accepted: number; duplicates: number; rejectedCount: number; rejected: unknown[] };
          expect(answer.rejected.length).toBeLessThanOrEqual(answer.rejectedCount);
        }),
      ),
      RUNS,
    );
  });
});

describe('POST /v1/traces', () => {
  const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
  const value = fc.oneof(
    fc.record({ stringValue: fc.oneof(fc.string({ maxLength: 12 }), json) }),
    fc.record({ intValue: fc.oneof(fc.integer(), fc.string({ maxLength: 22 })) }),
    fc.record({ doubleValue: fc.oneof(fc.double(), fc.constantFrom('NaN', 'x')) }),
    fc.record({ kvlistValue: json }),
    json,
  );
  const attribute = fc.record({ key: fc.constantFrom('vigil.journey', 'vigil.step', 'vigil.outcome', 'vigil.amount', 'x'), value });
  const span = fc.record(
    {
      traceId: fc.oneof(hex(16), fc.string({ maxLength: 34 })),
      spanId: fc.oneof(hex(8), fc.string({ maxLength: 18 })),
      parentSpanId: fc.oneof(hex(8), fc.constant('')),
      name: fc.oneof(fc.string({ maxLength: 12 }), json),
      startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.integer(), json),
      endTimeUnixNano: fc.oneof(fc.constant(String(BigInt(Date.now()) * 1_000_000n)), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String)),
      status: fc.oneof(fc.record({ code: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.string({ maxLength: 20 })) }), json),
      flags: fc.oneof(fc.nat(), json),
      attributes: fc.oneof(fc.array(attribute, { maxLength: 5 }), json),
    },
    { requiredKeys: [] },
  );
  const exportRequest = fc.record({
    resourceSpans: fc.array(fc.record({ scopeSpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 4 }) })) })),
  });

  it('answers any JSON body, OTLP-shaped or not, and any bytes as protobuf, with 200 or a coded 4xx', async () => {
    const body = fc.oneof(
      fc.oneof(json, exportRequest).map((v) => ({ type: 'application/json', payload: Buffer.from(JSON.stringify(v)) })),
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ type: 'application/x-protobuf', payload: Buffer.from(b) })),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async ({ type, payload }, gzip) =>
        timed(async () => {
          const response = await server.app.inject({
            method: 'POST',
            url: '/v1/traces',
            payload: gzip ? gzipSync(payload) : payload,
            headers: { 'content-type': type, ...(gzip && { 'content-encoding': 'gzip' }) },
          });
          await expectCoded(response);
        }),
      ),
      RUNS,
    );
  });
});

describe('alert webhooks', () => {
  const prometheusAlert = fc.record(
    {
      status: fc.oneof(fc.constantFrom('firing', 'resolved'), json),
      labels: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 4 }), json),
      annotations: fc.dictionary(fc.constantFrom('summary', 'description', 'x'), fc.string({ maxLength: 12 })),
      fingerprint: fc.string({ maxLength: 10 }),
    },
    { requiredKeys: ['status', 'labels'] },
  );
  const payloads = fc.oneof(json, fc.record({ version: fc.constantFrom('4', '1'), alerts: fc.array(prometheusAlert, { maxLength: 5 }) }));
  for (const url of ['/api/v1/alerts/alertmanager', '/api/v1/alerts/grafana', '/api/v1/alerts']) {
    it(`${url} answers any JSON with 200 or a coded 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(payloads, fc.array(json, { maxLength: 5 })), async (payload) =>
          timed(async () => {
            const response = await server.app.inject({
              method: 'POST',
              url,
              payload: JSON.stringify(payload),
              headers: { 'content-type': 'application/json' },
            });
            await expectCoded(response);
          }),
        ),
        RUNS,
      );
    });
  }

  it('a generic alert accepted reads back with the labels and summary it was sent with', async () => {
    const labels = fc.dictionary(
      // Prototype keys are refused by design (docs/alerting.md ("Webhooks in")); this property is about what is accepted.
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
      fc.string({ maxLength: 12 }),
      { maxKeys: 4 },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(labels, fc.string({ minLength: 1, maxLength: 30 }), async (sent, summary) => {
        const key = `fuzz-${n++}`;
        const response = await server.app.inject({
          method: 'POST',
          url: '/api/v1/alerts',
          payload: JSON.stringify({ key, labels: sent, summary }),
          headers: { 'content-type': 'application/json' },
        });
        if (response.statusCode !== 200) {
          // Only text no store can keep is refused (NUL characters, unpaired surrogates).
          expect(response.json().error.code).toBe('invalid_alert_payload');
          return;
        }
        const stored = await server.store.alerting.alert(`generic:${key}`);
        expect(stored?.labels).toEqual(sent);
        expect(stored?.summary).toBe(summary);
      }),
      RUNS,
    );
  });
});

describe('GET routes', () => {
  const routes = [
    '/api/v1/journeys',
    '/api/v1/journeys/wire-transfer',
    '/api/v1/journeys/wire-transfer/slos/success/status',
    '/api/v1/journeys/wire-transfer/slos/success/series',
    '/api/v1/alerts',
    '/api/v1/services',
    '/api/v1/incidents',
    '/api/v1/incidents/stats',
  ];
  const names = fc.constantFrom('at', 'from', 'to', 'step', 'status', 'priority', 'journey', 'limit', 'x');
  const values = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer().map(String),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('5m', '1h', '0m', '-1', '1e309', 'open', 'P1,P2', '9999999999999999'),
  );
  it('answer any query with 200 or a coded 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.array(fc.tuple(names, values), { maxLength: 4 }), async (route, query) =>
        timed(async () => {
          const search = new URLSearchParams(query).toString();
          const response = await server.app.inject({ method: 'GET', url: `${route}${search ? `?${search}` : ''}` });
          await expectCoded(response);
        }),
      ),
      RUNS,
    );
  });
});

describe('the configuration loader', () => {
  const yamlish = fc.oneof(
    fc.string({ maxLength: 300 }),
    json.map((v) => JSON.stringify(v)),
    fc
      .array(
        fc.tuple(
          fc.constantFrom('version', 'journeys', 'alerting', 'tiers', 'services', 'ingest', '  - name', '    steps'),
          fc.string({ maxLength: 20 }),
        ),
        {
          maxLength: 8,
        },
      )
      .map((lines) => lines.map(([k, v]) => `${k}: ${v}`).join('\n')),
  );
  it('loads any text or reports problems with file:line:col, never throws', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const t0 = performance.now();
        const loaded = loadConfigFromString(text, 'vigil.yaml');
        expect(performance.now() - t0).toBeLessThan(CASE_MS);
        if (!loaded.ok) {
          expect(loaded.errors.length).toBeGreaterThan(0);
          for (const e of loaded.errors) expect(e.line).toBeGreaterThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });
});
