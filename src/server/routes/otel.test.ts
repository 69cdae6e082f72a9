/**
 * POST /v1/traces (docs/opentelemetry.md) against the real server, runtime and a SQLite store, with bodies the real
 * OpenTelemetry JS SDK serializes: both encodings, gzip, partial success, redelivery, limits and refusals, and the
 * figures the journey API then reads. Every JSON answer is checked against its wire schema.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedSpans, type ScriptedSpan } from '../../../test/helpers/otel-sdk.js';
import { OtlpTraceResponse } from '../../api/otel.js';
import { vigilApi } from '../../app/api.js';
import { VigilRuntime } from '../../app/runtime.js';
import { loadConfigFromString } from '../../config/load.js';
import { openStore } from '../../store/open.js';
import { buildServer } from '../app.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const MAX_BODY = 20_000;

const CONFIG = `version: vigil/v1
journeys:
  - name: wire-transfer
    value: { currency: EUR }
    steps: [{ name: login }, { name: initiate }, { name: confirm }]
    slos:
      - { name: success, objective: 99, window: 28d, sli: { kind: success } }
      - { name: confirm-step, objective: 99, window: 28d, sli: { kind: success, step: confirm } }
      - { name: fast, objective: 99, window: 28d, sli: { kind: latency, thresholdMs: 1000 } }
      - { name: value, objective: 99, window: 28d, sli: { kind: success, weight: amount } }
  - name: login
    steps: [{ name: authenticate }]
    slos:
      - { name: success, objective: 99, window: 28d, sli: { kind: success } }
otel:
  rules:
    - match: { service.name: auth-gateway, http.route: /login }
      journey: login
ingest:
  maxBodyBytes: ${MAX_BODY}
`;

let app: FastifyInstance;
let runtime: VigilRuntime;
let close: () => Promise<void>;

beforeAll(async () => {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-otel-'));
  const store = await openStore(join(dir, 'v.db'));
  runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  app = await buildServer({ api: vigilApi(runtime) });
  close = async () => {
    await app.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  };
});
afterAll(async () => close?.());

/**
 * One wire transfer as the payments service traces it: the root span is the whole attempt, three step spans, and a
 * database span that is no journey's. `failing` makes that step (and so the attempt) end in ERROR.
 */
function transfer(startMs: number, options: { failing?: 'confirm'; amount: number; confirmMs?: number }): ScriptedSpan {
  const J = { 'vigil.journey': 'wire-transfer' };
  const confirmMs = options.confirmMs ?? 300;
  return {
    name: 'POST /transfers',
    startMs,
    endMs: startMs + 200 + confirmMs,
    attributes: { ...J, 'vigil.customer_id': `c-${options.amount}`, 'vigil.amount': options.amount, 'http.route': '/transfers' },
    ...(options.failing && { status: 'error' as const }),
    children: [
      { name: 'login', startMs: startMs + 10, endMs: startMs + 50, attributes: { ...J, 'vigil.step': 'login' } },
      { name: 'initiate', startMs: startMs + 60, endMs: startMs + 150, attributes: { ...J, 'vigil.step': 'initiate' }, status: 'ok' },
      { name: 'SELECT accounts', startMs: startMs + 70, endMs: startMs + 80 },
      {
        name: 'confirm',
        startMs: startMs + 160,
        endMs: startMs + 160 + confirmMs,
        attributes: { ...J, 'vigil.step': 'confirm' },
        ...(options.failing && { status: 'error' as const }),
      },
    ],
  };
}

const post = (payload: Uint8Array | string, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/v1/traces', headers, payload: typeof payload === 'string' ? payload : Buffer.from(payload) });
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

async function status(journey: string, slo: string): Promise<{ good: number; total: number }> {
  const res = await app.inject({ url: `/api/v1/journeys/${journey}/slos/${slo}/status` });
  expect(res.statusCode).toBe(200);
  const { good, total } = res.json() as { good: number; total: number };
  return { good, total };
}

describe('POST /v1/traces', () => {
  let first: Uint8Array;

  it('protobuf: stores one event per mapped span, counts the rest as unmatched, answers an empty ExportTraceServiceResponse', async () => {
    const spans = await finishedSpans('payments-api', [
      transfer(NOW - 60_000, { amount: 100 }),
      transfer(NOW - 50_000, { amount: 250, failing: 'confirm', confirmMs: 1500 }),
    ]);
    first = ProtobufTraceSerializer.serializeRequest(spans)!;
    const res = await post(first, PROTOBUF);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(res.rawPayload.length).toBe(0);
    expect(ProtobufTraceSerializer.deserializeResponse(res.rawPayload)).toEqual({});
    expect(res.headers['vigil-spans']).toBe('accepted=8, duplicates=0, rejected=0, unmatched=2');
    // Two attempts, one failed: whole journey 1 of 2, confirm 1 of 2, latency (≤ 1000 ms) 1 of 2 (500 ms and 1700 ms),
    // value 100 of 350 EUR.
    expect(await status('wire-transfer', 'success')).toEqual({ good: 1, total: 2 });
    expect(await status('wire-transfer', 'confirm-step')).toEqual({ good: 1, total: 2 });
    expect(await status('wire-transfer', 'fast')).toEqual({ good: 1, total: 2 });
    expect(await status('wire-transfer', 'value')).toEqual({ good: 100, total: 350 });
  });

  it('a redelivered export is idempotent: every span a duplicate, no figure moves', async () => {
    const res = await post(first, PROTOBUF);
    expect(res.statusCode).toBe(200);
    expect(res.headers['vigil-spans']).toBe('accepted=0, duplicates=8, rejected=0, unmatched=2');
    expect(await status('wire-transfer', 'success')).toEqual({ good: 1, total: 2 });
  });

  it('OTLP/JSON, by attributes and by a rule: answers {} as application/json', async () => {
    const login: ScriptedSpan = { name: 'POST /login', startMs: NOW - 40_000, endMs: NOW - 39_900, attributes: { 'http.route': '/login' } };
    const failed: ScriptedSpan = { ...login, startMs: NOW - 30_000, endMs: NOW - 29_000, status: 'error' };
    const spans = await finishedSpans('auth-gateway', [
      login,
      failed,
      { ...login, name: 'GET /health', attributes: { 'http.route': '/health' } },
    ]);
    const res = await post(JsonTraceSerializer.serializeRequest(spans)!, JSON_TYPE);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(OtlpTraceResponse.parse(res.json())).toEqual({});
    expect(res.headers['vigil-spans']).toBe('accepted=2, duplicates=0, rejected=0, unmatched=1');
    expect(await status('login', 'success')).toEqual({ good: 1, total: 2 });
  });

  it('partial success: refused spans are counted and named, in the encoding of the request; the others are stored', async () => {
    const J = { 'vigil.journey': 'wire-transfer' };
    const spans = await finishedSpans('payments-api', [
      { name: 'typo', startMs: NOW - 20_000, endMs: NOW - 19_000, attributes: { ...J, 'vigil.step': 'confrim' } },
      { name: 'old', startMs: NOW - 40 * 86_400_000, endMs: NOW - 40 * 86_400_000 + 5, attributes: J },
      { name: 'no amount', startMs: NOW - 20_000, endMs: NOW - 19_000, attributes: J },
      { name: 'fine', startMs: NOW - 20_000, endMs: NOW - 19_000, attributes: { ...J, 'vigil.amount': 50 } },
    ]);
    const protobuf = await post(ProtobufTraceSerializer.serializeRequest(spans)!, PROTOBUF);
    expect(protobuf.statusCode).toBe(200);
    expect(protobuf.headers['vigil-spans']).toBe('accepted=1, duplicates=0, rejected=3, unmatched=0');
    const decoded = ProtobufTraceSerializer.deserializeResponse(protobuf.rawPayload);
    expect(decoded.partialSuccess?.rejectedSpans).toBe(3);
    const message = decoded.partialSuccess?.errorMessage ?? '';
    expect(message).toMatch(
      /^3 of 4 spans refused: span [0-9a-f]{16} "typo": unknown_step: step: "confrim" is not a step of journey "wire-transfer"/,
    );
    expect(message).toMatch(/span [0-9a-f]{16} "old": too_old: timestamp: /);
    expect(message).toMatch(/span [0-9a-f]{16} "no amount": amount_required: /);

    const json = await post(JsonTraceSerializer.serializeRequest(spans)!, JSON_TYPE);
    const answer = OtlpTraceResponse.parse(json.json());
    expect(answer.partialSuccess?.rejectedSpans).toBe('3');
    expect(answer.partialSuccess?.errorMessage).toBe(message);
    expect(json.headers['vigil-spans']).toBe('accepted=0, duplicates=1, rejected=3, unmatched=0');
  });

  it('reads gzip bodies (as the Collector sends them), bounded by ingest.maxBodyBytes once decompressed', async () => {
    const spans = await finishedSpans('payments-api', [transfer(NOW - 10_000, { amount: 10 })]);
    const zipped = await post(gzipSync(ProtobufTraceSerializer.serializeRequest(spans)!), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['vigil-spans']).toBe('accepted=4, duplicates=0, rejected=0, unmatched=1');

    // 1 MB of zeros compresses to about 1 KB: under the limit as sent, far over it decompressed.
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const big = await post(bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({
      code: 'payload_too_large',
      message: `The body decompresses to more than ${MAX_BODY} bytes (ingest.maxBodyBytes)`,
    });

    const corrupt = await post(Buffer.from('not gzip at all'), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().error.code).toBe('invalid_otlp');
    const brotli = await post(Buffer.from('x'), { ...PROTOBUF, 'content-encoding': 'br' });
    expect(brotli.statusCode).toBe(415);
    expect(brotli.json().error.code).toBe('unsupported_media_type');
  });

  it('refuses what is not an export, with coded errors, storing nothing', async () => {
    const before = await status('wire-transfer', 'success');
    const spans = await finishedSpans('payments-api', [transfer(NOW - 5_000, { amount: 5 })]);
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    // Cut inside the last span: the spans before it decode, but nothing of the body is stored.
    const cut = await post(bytes.subarray(0, bytes.length - 3), PROTOBUF);
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.code).toBe('invalid_otlp');
    expect(cut.json().error.message).toMatch(
      /^The body is not a protobuf ExportTraceServiceRequest: resourceSpans\[0\]: .* \(at byte \d+\)$/,
    );
    expect(await status('wire-transfer', 'success')).toEqual(before);

    const badJson = await post('{"resourceSpans": [', JSON_TYPE);
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('invalid_json');
    const wrongShape = await post('{"resourceSpans": {}}', JSON_TYPE);
    expect(wrongShape.json().error).toMatchObject({
      code: 'invalid_otlp',
      message: 'The body is not an OTLP/JSON ExportTraceServiceRequest: resourceSpans: expected an array, got an object',
    });
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    const tooBig = await post(Buffer.alloc(MAX_BODY + 1), PROTOBUF);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('payload_too_large');
  });

  it('an empty export is a success, as OTLP asks', async () => {
    const res = await post(new Uint8Array(0), PROTOBUF);
    expect(res.statusCode).toBe(200);
    expect(res.headers['vigil-spans']).toBe('accepted=0, duplicates=0, rejected=0, unmatched=0');
    const json = await post('{}', JSON_TYPE);
    expect(json.json()).toEqual({});
  });

  it('refuses a write from a page of another origin, as every write route does', async () => {
    const res = await post(new Uint8Array(0), { ...PROTOBUF, origin: 'https://evil.example', host: 'localhost' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('cross_origin_refused');
  });

  it('answers the partial success and the Vigil-Spans header docs/opentelemetry.md ("The answer") shows', async () => {
    const doc = readFileSync(new URL('../../../docs/opentelemetry.md', import.meta.url), 'utf8').split('\n## The answer\n')[1]!;
    const shownJson = doc.match(/```json\n([\s\S]*?)```/)![1]!;
    const shownHeader = doc.match(/```http\n([\s\S]*?)\n```/)![1]!;
    const spans = await finishedSpans('payments-api', [
      transfer(NOW - 3_000, { amount: 20 }),
      { name: 'typo', startMs: NOW - 2_000, endMs: NOW - 1_900, attributes: { 'vigil.journey': 'wire-transfer', 'vigil.step': 'confrim' } },
    ]);
    const res = await post(JsonTraceSerializer.serializeRequest(spans)!, JSON_TYPE);
    const typo = spans.find((s) => s.name === 'typo')!.spanContext().spanId;
    const answer = JSON.parse(JSON.stringify(res.json()).replace(typo, '6e0c63257de34c92'));
    expect(answer).toEqual(JSON.parse(shownJson));
    expect(`Vigil-Spans: ${res.headers['vigil-spans']}`).toBe(shownHeader);
  });

  it('a configuration reload applies new otel.rules from the next export on', async () => {
    const spans = await finishedSpans('auth-gateway', [
      { name: 'POST /signin', startMs: NOW - 1_000, endMs: NOW - 900, attributes: { 'http.route': '/signin' } },
    ]);
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect((await post(body, PROTOBUF)).headers['vigil-spans']).toBe('accepted=0, duplicates=0, rejected=0, unmatched=1');
    const reloaded = loadConfigFromString(CONFIG.replace('http.route: /login', 'http.route: /signin'), 'vigil.yaml');
    if (!reloaded.ok) throw new Error('the reloaded configuration does not load');
    await runtime.reconfigure(reloaded.config);
    expect((await post(body, PROTOBUF)).headers['vigil-spans']).toBe('accepted=1, duplicates=0, rejected=0, unmatched=0');
  });
});
