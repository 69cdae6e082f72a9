/**
 * Spans made by the real OpenTelemetry JS SDK (sdk-trace-base), for the OTLP tests: a scripted trace is played
 * through a tracer, and the finished spans are what the SDK's own exporters serialize.
 */
import { type Attributes, context, type HrTime, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** One span of a scripted trace: its children are started inside it. Times are epoch milliseconds (fractions kept). */
export interface ScriptedSpan {
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Attributes;
  status?: 'ok' | 'error';
  children?: ScriptedSpan[];
}

/** Epoch milliseconds (with a fraction) as the SDK's [seconds, nanoseconds]. */
export function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/**
 * Play traces through a tracer of `service` whose spans go to `exporter`, and flush it.
 * @example await playTraces(exporter, 'payments-api', [{ name: 'POST /transfers', startMs, endMs, attributes: { 'vigil.journey': 'wire-transfer' } }]);
 */
export async function playTraces(exporter: SpanExporter, service: string, roots: readonly ScriptedSpan[]): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  await playWith(provider, roots);
  await provider.shutdown();
}

/**
 * The finished spans of scripted traces, as the SDK hands them to an exporter.
 * @example const spans = await finishedSpans('payments-api', [root]); ProtobufTraceSerializer.serializeRequest(spans)
 */
export async function finishedSpans(service: string, roots: readonly ScriptedSpan[]): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  await playWith(provider, roots);
  return exporter.getFinishedSpans();
}

/** Play traces through `provider` and flush it (the caller shuts it down). */
export async function playWith(provider: BasicTracerProvider, roots: readonly ScriptedSpan[]): Promise<void> {
  const tracer = provider.getTracer('vigil-tests');
  const play = (scripted: ScriptedSpan, parent: ReturnType<typeof context.active>) => {
    const span = tracer.startSpan(scripted.name, { startTime: hrTime(scripted.startMs), attributes: scripted.attributes ?? {} }, parent);
    for (const child of scripted.children ?? []) play(child, trace.setSpan(parent, span));
    if (scripted.status) span.setStatus({ code: scripted.status === 'ok' ? SpanStatusCode.OK : SpanStatusCode.ERROR });
    span.end(hrTime(scripted.endMs));
  };
  for (const root of roots) play(root, context.active());
  await provider.forceFlush();
}
