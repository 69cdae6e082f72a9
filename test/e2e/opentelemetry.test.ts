/**
 * OpenTelemetry end to end (docs/opentelemetry.md): the real OpenTelemetry JS SDK — a tracer provider with a batch
 * span processor and the OTLP/HTTP exporters, protobuf and JSON, gzip or not — exports scripted journeys to a running
 * `vigil serve` (the built CLI) with a token of scope ingest; the journey API then reads back exact figures.
 */
import { join } from 'node:path';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playWith, type ScriptedSpan } from '../helpers/otel-sdk.js';
import { getJson, ROOT, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const CONFIG = join(ROOT, 'test', 'fixtures', 'otel.yaml');
const E2E_TIMEOUT = 120_000;

/** The result codes of the SDK's ExportResult: 0 SUCCESS, 1 FAILED. */
const SUCCESS = 0;
const FAILED = 1;

/** Wraps the SDK's exporter to record what each export resolved to, as the batch processor sees it. */
class RecordingExporter implements SpanExporter {
  readonly results: { code: number; error?: Error }[] = [];
  readonly spans: number[] = [];
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.spans.push(spans.length);
    this.inner.export(spans, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Play traces of one service through the SDK's batch processor into `exporter`, and flush: one export request. */
async function exportTraces(exporter: RecordingExporter, service: string, roots: readonly ScriptedSpan[]): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 2048 })],
  });
  await playWith(provider, roots);
  await provider.shutdown();
}

const J = { 'vigil.journey': 'wire-transfer' };

/**
 * One wire transfer as the payments service traces it with vigil.* attributes: the root span is the attempt, three
 * step spans, a database span of no journey. `totalMs` is the attempt's duration.
 */
function transfer(startMs: number, totalMs: number, options: { failing?: boolean; refused?: boolean } = {}): ScriptedSpan {
  const outcome = options.refused ? { 'vigil.outcome': 'rejected' } : {};
  const status = options.failing ? { status: 'error' as const } : {};
  return {
    name: 'POST /transfers',
    startMs,
    endMs: startMs + totalMs,
    attributes: { ...J, 'enduser.id': `c-${startMs % 1000}`, ...outcome },
    ...status,
    children: [
      { name: 'login', startMs: startMs + 5, endMs: startMs + 40, attributes: { ...J, 'vigil.step': 'login' } },
      { name: 'initiate', startMs: startMs + 45, endMs: startMs + 90, attributes: { ...J, 'vigil.step': 'initiate' }, status: 'ok' },
      { name: 'SELECT balance', startMs: startMs + 50, endMs: startMs + 60 },
      {
        name: 'confirm',
        startMs: startMs + 100,
        endMs: startMs + totalMs - 5,
        attributes: { ...J, 'vigil.step': 'confirm', ...outcome },
        ...status,
      },
    ],
  };
}

/** One card payment as the cards service traces it, without any vigil.* attribute: otel.rules map it. */
function cardPayment(startMs: number, failing: boolean): ScriptedSpan {
  const status = failing ? { status: 'error' as const } : {};
  return {
    name: 'POST /payments',
    startMs,
    endMs: startMs + 400,
    attributes: { 'http.route': '/payments' },
    ...status,
    children: [
      { name: 'authorise', startMs: startMs + 10, endMs: startMs + 300, ...status },
      { name: 'redis GET', startMs: startMs + 20, endMs: startMs + 25 },
    ],
  };
}

describe('the OpenTelemetry JS SDK exporting to vigil serve', () => {
  let temp: { dir: string; cleanup: () => void };
  let vigil: VigilProcess;
  let ingestToken: string;
  let readToken: string;
  const warnings: string[] = [];

  const createToken = async (database: string, name: string, scope: string) => {
    const created = await runVigil(['token', 'create', '--name', name, '--scope', scope, '--database', database]);
    expect(created.code, created.stderr).toBe(0);
    return /^(vigil_\S+)$/m.exec(created.stdout)![1]!;
  };

  beforeAll(async () => {
    temp = tempDir('vigil-otel-e2e-');
    const database = join(temp.dir, 'v.db');
    // Tokens first: the server is closed from its first request on.
    ingestToken = await createToken(database, 'otel-collector', 'ingest');
    readToken = await createToken(database, 'dashboard', 'read');
    vigil = await startVigil(['--config', CONFIG, '--database', database]);
    // The SDK reports a partial success through its diagnostic logger, at warn.
    const record = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    const logger: DiagLogger = { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} };
    diag.setLogger(logger, DiagLogLevel.WARN);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    diag.disable();
    await vigil?.stop();
    temp?.cleanup();
  });

  const status = async (journey: string, slo: string) => {
    const { status: code, body } = await getJson(`${vigil.url}/api/v1/journeys/${journey}/slos/${slo}/status`, {
      authorization: `Bearer ${readToken}`,
    });
    expect(code, JSON.stringify(body)).toBe(200);
    return { good: body.good as number, total: body.total as number };
  };

  it(
    'protobuf: five wire transfers by vigil.* attributes give the exact good and total of each SLO',
    async () => {
      const exporter = new RecordingExporter(
        new ProtobufExporter({ url: `${vigil.url}/v1/traces`, headers: { Authorization: `Bearer ${ingestToken}` } }),
      );
      const t = Date.now() - 120_000;
      await exportTraces(exporter, 'payments-api', [
        transfer(t, 800),
        transfer(t + 1_000, 2_500),
        transfer(t + 5_000, 900),
        transfer(t + 7_000, 1_200, { failing: true }),
        // Insufficient funds: a valid business refusal, counted in no SLI.
        transfer(t + 9_000, 700, { refused: true }),
      ]);
      expect(exporter.spans).toEqual([25]);
      expect(exporter.results.map((r) => r.code)).toEqual([SUCCESS]);
      // Whole journey: 3 successes of 4 valid attempts. Confirm step: the same. Within 2 s: 800 and 900 ms of the 4.
      expect(await status('wire-transfer', 'success')).toEqual({ good: 3, total: 4 });
      expect(await status('wire-transfer', 'confirm-step')).toEqual({ good: 3, total: 4 });
      expect(await status('wire-transfer', 'within-2s')).toEqual({ good: 2, total: 4 });
    },
    E2E_TIMEOUT,
  );

  it(
    'OTLP/JSON with gzip: card payments mapped by otel.rules alone',
    async () => {
      const exporter = new RecordingExporter(
        new JsonExporter({
          url: `${vigil.url}/v1/traces`,
          headers: { Authorization: `Bearer ${ingestToken}` },
          compression: 'gzip' as NonNullable<ConstructorParameters<typeof JsonExporter>[0]>['compression'],
        }),
      );
      const t = Date.now() - 60_000;
      await exportTraces(exporter, 'cards-api', [cardPayment(t, false), cardPayment(t + 1_000, true), cardPayment(t + 2_000, false)]);
      expect(exporter.results.map((r) => r.code)).toEqual([SUCCESS]);
      expect(await status('card-payment', 'success')).toEqual({ good: 2, total: 3 });
      expect(await status('card-payment', 'authorise-step')).toEqual({ good: 2, total: 3 });
    },
    E2E_TIMEOUT,
  );

  it(
    'a refused span is a partial success the SDK reports; the rest of the export is stored',
    async () => {
      const exporter = new RecordingExporter(
        new ProtobufExporter({ url: `${vigil.url}/v1/traces`, headers: { Authorization: `Bearer ${ingestToken}` } }),
      );
      const t = Date.now() - 30_000;
      warnings.length = 0;
      await exportTraces(exporter, 'payments-api', [
        transfer(t, 600),
        { name: 'typo', startMs: t + 100, endMs: t + 200, attributes: { ...J, 'vigil.step': 'confrim' } },
      ]);
      expect(exporter.results.map((r) => r.code)).toEqual([SUCCESS]);
      const partial = warnings.find((w) => w.includes('Partial Success'));
      expect(partial).toContain('"rejectedSpans":1');
      expect(partial).toContain('unknown_step');
      expect(await status('wire-transfer', 'success')).toEqual({ good: 4, total: 5 });
    },
    E2E_TIMEOUT,
  );

  it(
    'a token without scope ingest is refused: the export fails and nothing is stored',
    async () => {
      const exporter = new RecordingExporter(
        new JsonExporter({ url: `${vigil.url}/v1/traces`, headers: { Authorization: `Bearer ${readToken}` } }),
      );
      // The batch processor's flush rejects when the export fails; what failed is in the recorded result.
      await expect(exportTraces(exporter, 'cards-api', [cardPayment(Date.now() - 10_000, false)])).rejects.toBeDefined();
      expect(exporter.results.map((r) => r.code)).toEqual([FAILED]);
      expect(exporter.results[0]?.error).toMatchObject({ code: 403 });
      expect(await status('card-payment', 'success')).toEqual({ good: 2, total: 3 });
    },
    E2E_TIMEOUT,
  );

  it(
    'the standard environment variables alone configure the exporter, as docs/opentelemetry.md ("Sending traces") shows',
    async () => {
      const env = {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${vigil.url}/v1/traces`,
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: `Authorization=Bearer%20${ingestToken}`,
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      };
      const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
      Object.assign(process.env, env);
      let exporter: RecordingExporter;
      try {
        exporter = new RecordingExporter(new ProtobufExporter());
      } finally {
        for (const [key, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
      await exportTraces(exporter, 'cards-api', [cardPayment(Date.now() - 5_000, false)]);
      expect(exporter.results.map((r) => r.code)).toEqual([SUCCESS]);
      expect(await status('card-payment', 'success')).toEqual({ good: 3, total: 4 });
    },
    E2E_TIMEOUT,
  );
});
