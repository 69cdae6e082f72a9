/**
 * Benchmark: NDJSON batches of 1,000 events over HTTP into `vigil serve --queue` on a SQLite file (docs/nats.md):
 * how fast bodies are acknowledged (JetStream has them) and how fast they are in the store (consumed), against
 * plain JSON.parse of the same lines in the same run. Needs NATS with JetStream at $VIGIL_BENCH_NATS_URL
 * (default nats://127.0.0.1:4222).
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { CONFIG, jsonParseRate, makeBatches, send } from './ingest-http.js';
import { startBenchServer } from './serve-process.js';

export interface NatsIngestBenchResult {
  events: number;
  jsonParseEventsPerSecond: number;
  /** Events per second answered 200 (durable in JetStream). */
  acknowledgedEventsPerSecond: number;
  /** Events per second from the first body sent to the last event stored by the consumer. */
  storedEventsPerSecond: number;
  acknowledgedRatio: number;
  storedRatio: number;
}

export const NATS_URL = process.env.VIGIL_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

async function storedEvents(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('vigil_queue_events_total{result="stored"} '));
  return Number(line?.split(' ')[1] ?? 0);
}

/** Start a server with --queue on a stream of its own, warm it up, send `batches` batches, wait until all are stored. */
export async function runNatsIngestBench(batches = 100): Promise<NatsIngestBenchResult> {
  const stream = `VIGIL_BENCH_${process.pid}`;
  const server = await startBenchServer('vigil-bench-nats-', CONFIG, undefined, ['--queue', NATS_URL, '--queue-stream', stream]);
  try {
    await send(server.url, makeBatches(10, 'warm'));
    const bodies = makeBatches(batches, 'bench');
    const parseRate = jsonParseRate(bodies);
    const events = batches * 1000;
    for (let i = 0; (await storedEvents(server.url)) < 10_000; i++) {
      if (i > 600) throw new Error('the warm-up batches were not consumed within a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const t0 = performance.now();
    await send(server.url, bodies);
    const acknowledgedSeconds = (performance.now() - t0) / 1000;
    for (let i = 0; (await storedEvents(server.url)) < 10_000 + events; i++) {
      if (i > 6000) throw new Error('the batches were not consumed within 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const storedSeconds = (performance.now() - t0) / 1000;
    return {
      events,
      jsonParseEventsPerSecond: parseRate,
      acknowledgedEventsPerSecond: events / acknowledgedSeconds,
      storedEventsPerSecond: events / storedSeconds,
      acknowledgedRatio: events / acknowledgedSeconds / parseRate,
      storedRatio: events / storedSeconds / parseRate,
    };
  } finally {
    await server.stop();
    const nc = await connect({ servers: NATS_URL });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => {});
    await nc.close();
  }
}
