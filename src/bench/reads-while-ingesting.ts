/**
 * Benchmark: read latency of a real `vigil serve` on SQLite while two clients ingest 1,000-event NDJSON
 * batches as fast as it takes them, against the same reads with no ingest in the same run
 * (docs/storage.md ("Choosing SQLite or PostgreSQL")).
 */
import { startBenchServer } from './serve-process.js';
import { CONFIG, makeBatches } from './ingest-http.js';

export interface ReadLatency {
  reads: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ReadsWhileIngestingResult {
  idle: ReadLatency;
  ingesting: ReadLatency;
  /** Events per second the two ingest clients achieved while the reads ran. */
  ingestEventsPerSecond: number;
  /** Read p99 while ingesting ÷ read p99 with no ingest. */
  p99Ratio: number;
}

const BATCH = 1000;
const READS = ['/api/v1/journeys', '/api/v1/journeys/wire-transfer/slos/success/status', '/api/v1/journeys/card-payment/slos/fast/status'];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `count` reads, one after another, cycling through READS; the latency of each as the client sees it. */
async function readLoop(url: string, count: number, stop: () => boolean = () => false): Promise<ReadLatency> {
  const ms: number[] = [];
  for (let n = 0; n < count && !stop(); n++) {
    const t0 = performance.now();
    const response = await fetch(`${url}${READS[n % READS.length]}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${READS[n % READS.length]} answered ${response.status}`);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { reads: ms.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
}

/** Two clients posting batches back to back until `done()` or the bodies run out; resolves with the events sent. */
async function ingestLoop(url: string, bodies: readonly string[], done: () => boolean): Promise<number> {
  let next = 0;
  let events = 0;
  const client = async () => {
    while (!done() && next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
      const answer = (await response.json()) as { accepted?: number };
      if (answer.accepted !== BATCH) throw new Error(`a batch was not fully accepted: ${JSON.stringify(answer).slice(0, 300)}`);
      events += BATCH;
    }
  };
  await Promise.all([client(), client()]);
  return events;
}

/**
 * Starts `vigil serve` on a SQLite file, reads `reads` times with no ingest (the baseline), then
 * reads again as many times while two clients ingest up to `batches` batches.
 */
export async function runReadsWhileIngesting(reads = 600, batches = 400): Promise<ReadsWhileIngestingResult> {
  const { url, stop } = await startBenchServer('vigil-bench-reads-', CONFIG);
  try {
    // Some data first, so the reads have minutes to compute; then the idle baseline.
    await ingestLoop(url, makeBatches(20, 'warm'), () => false);
    await readLoop(url, 50);
    const idle = await readLoop(url, reads);
    const bodies = makeBatches(batches, 'load');
    let readsDone = false;
    const t0 = performance.now();
    const ingesting = ingestLoop(url, bodies, () => readsDone);
    // Reads stop with the ingest if the batches run out first, so every read counted overlaps ingest.
    let ingestDone = false;
    void ingesting.then(() => {
      ingestDone = true;
    });
    const loaded = await readLoop(url, reads, () => ingestDone);
    readsDone = true;
    const events = await ingesting;
    const seconds = (performance.now() - t0) / 1000;
    return { idle, ingesting: loaded, ingestEventsPerSecond: events / seconds, p99Ratio: loaded.p99Ms / idle.p99Ms };
  } finally {
    await stop();
  }
}
