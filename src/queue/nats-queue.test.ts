/**
 * NATS JetStream ingest (docs/nats.md) against the real nats-server at VIGIL_TEST_NATS_URL and a real SQLite store:
 * a published batch is stored once; a batch redelivered after its events were stored (a node that stored it and
 * died before acknowledging, or whose store refused after the commit) changes no count, in the store or in memory.
 * Each test uses a stream of its own. Under CI a missing NATS fails the suite rather than skipping it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { VigilRuntime } from '../app/runtime.js';
import { VigilError } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { openStore } from '../store/open.js';
import { CONSUMER_NAME, chunkBodies, decodeBatch, NatsQueue, type QueueAppend, withIds } from './nats-queue.js';

const NATS = process.env.VIGIL_TEST_NATS_URL;
if (!NATS && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_NATS_URL (nats-server -js) for the NATS ingest tests');

const NOW = Date.now();
const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: { critical: { name: 'critical', objective: 99.9 } },
  services: [],
  journeys: [
    {
      name: 'wire-transfer',
      displayName: 'Wire transfer',
      tier: 'critical',
      steps: [],
      slos: [
        {
          name: 'success',
          objective: 99,
          window: { kind: 'rolling', minutes: 1440, text: '1d' },
          budgeting: 'occurrences',
          timeSliceTarget: 90,
          alerting: { minEvents: 0 },
          sli: { kind: 'success', abandonedIsBad: false },
        },
      ],
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10_000_000 },
};

const silent = { info: () => {}, warn: () => {} };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let streams = 0;
const uniqueStream = () => `VIGIL_TEST_${process.pid}_${Date.now() % 1_000_000}_${streams++}`;

/** A runtime on a fresh SQLite file, removed after the test. */
async function runtime(): Promise<VigilRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-nats-'));
  const rt = await VigilRuntime.start({ config, store: await openStore(join(dir, 'vigil.db')), clock: () => NOW });
  cleanups.push(async () => {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return rt;
}

async function queue(stream: string, ackWaitMs?: number): Promise<NatsQueue> {
  const q = await NatsQueue.open({ url: NATS!, stream, log: silent, ...(ackWaitMs ? { ackWaitMs } : {}) });
  cleanups.push(async () => {
    await q.close();
    const nc = await connect({ servers: NATS! });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => {});
    await nc.close();
  });
  return q;
}

/** `n` events, `failures` of them failures; ids only on the first `withId`. */
function events(n: number, failures: number, withId = 0): JourneyEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    ...(i < withId ? { id: `given-${i}` } : {}),
    journey: 'wire-transfer',
    outcome: i < failures ? 'failure' : 'success',
    timestamp: NOW - 60_000 + i,
  }));
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function storedCount(rt: VigilRuntime): Promise<number> {
  return (await rt.store.events.events({ from: NOW - 3_600_000, to: NOW + 3_600_000 })).length;
}

describe('withIds, chunkBodies, decodeBatch', () => {
  it('keeps a given id and gives the others <batch>:<index>', () => {
    const given = withIds(events(3, 0, 1), 'b');
    expect(given.map((e) => e.id)).toEqual(['given-0', 'b:1', 'b:2']);
  });

  // Envelope room is 256 bytes; each event costs its length plus one (the comma).
  it.each([
    { sizes: [10, 10, 10], max: 256 + 33, parts: [3] },
    { sizes: [10, 10, 10], max: 256 + 22, parts: [2, 1] },
    { sizes: [10, 10, 10], max: 256 + 11, parts: [1, 1, 1] },
    { sizes: [30, 5], max: 256 + 37, parts: [2] },
    { sizes: [], max: 1000, parts: [] },
  ])('splits events of $sizes bytes under $max bytes into $parts', ({ sizes, max, parts }) => {
    const serialised = sizes.map((n, i) => `"${String(i).padEnd(n - 2, 'x')}"`);
    const bodies = chunkBodies(serialised, 7, max);
    expect(bodies.map((b) => (JSON.parse(b) as { events: unknown[] }).events.length)).toEqual(parts);
    expect(bodies.flatMap((b) => (JSON.parse(b) as { events: string[] }).events)).toEqual(serialised.map((s) => JSON.parse(s)));
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(max);
  });

  it('refuses an event bigger than a message with payload_too_large', () => {
    expect(() => chunkBodies(['"x"', `"${'y'.repeat(300)}"`], 1, 400)).toThrow(expect.objectContaining({ code: 'payload_too_large' }));
  });

  it('decodes what it wrote and nothing else', () => {
    const [body] = chunkBodies(['{"journey":"a"}'], 5, 1000);
    expect(decodeBatch(Buffer.from(body!))).toEqual({ receivedAt: 5, events: [{ journey: 'a' }] });
    expect(decodeBatch(Buffer.from('not json'))).toBeUndefined();
    expect(decodeBatch(Buffer.from('{"events":[]}'))).toBeUndefined();
  });
});

describe.skipIf(!NATS)('NatsQueue on a real JetStream', () => {
  it('stores a published batch once, split over messages when it is bigger than one, and reports progress', async () => {
    const rt = await runtime();
    const q = await queue(uniqueStream());
    q.startConsuming(rt.append);
    // 40 events with ids, 3 failures; then 3,000 events of ~600 bytes each (~1.8 MB, two or more messages of 1 MB), 10 failures.
    expect((await q.append(events(40, 3, 40), NOW)).inserted).toEqual(Array(40).fill(true));
    const big = events(3_000, 10).map((e) => ({ ...e, attributes: { note: 'n'.repeat(500) } }));
    await q.append(big, NOW);
    await until(() => q.progressNow().eventsStored >= 3_040, 'the events to be stored');
    await until(() => q.progressNow().pending === 0, 'the stream to be empty');
    // The given ids overlap nothing else: 3,040 events stored, and the SLO counts each once.
    expect(await storedCount(rt)).toBe(3_040);
    const status = rt.registry.status('wire-transfer', 'success', NOW)!;
    expect({ good: status.good, total: status.total }).toEqual({ good: 3_027, total: 3_040 });
    const progress = q.progressNow();
    expect(progress.published).toBeGreaterThanOrEqual(3);
    expect(progress.consumed).toBe(progress.published);
    expect({ stored: progress.eventsStored, duplicate: progress.eventsDuplicate, connected: progress.connected }).toEqual({
      stored: 3_040,
      duplicate: 0,
      connected: true,
    });
  });

  it('counts once a batch the store committed but whose acknowledgement never came (nak, then redelivery)', async () => {
    const rt = await runtime();
    const q = await queue(uniqueStream());
    let calls = 0;
    // The first delivery is stored, then the node fails before acknowledging: JetStream offers the batch again.
    const failingAfterCommit: QueueAppend = {
      append: async (batch, receivedAt) => {
        const result = await rt.append.append(batch, receivedAt);
        calls++;
        if (calls === 1) throw new Error('lost after the commit');
        return result;
      },
    };
    q.startConsuming(failingAfterCommit);
    await q.append(events(25, 5, 10), NOW);
    await until(() => q.progressNow().consumed === 1, 'the redelivered batch to be acknowledged');
    expect(calls).toBe(2);
    expect(await storedCount(rt)).toBe(25);
    const status = rt.registry.status('wire-transfer', 'success', NOW)!;
    expect({ good: status.good, total: status.total }).toEqual({ good: 20, total: 25 });
    expect(q.progressNow()).toMatchObject({ retried: 1, eventsStored: 0, eventsDuplicate: 25 });
  });

  it('counts once a batch redelivered after its ack wait ran out (a node that stored it and died)', async () => {
    const rt = await runtime();
    const stream = uniqueStream();
    const q = await queue(stream, 1_000);
    await q.append(events(12, 2), NOW);
    // A node takes the batch, stores it, and dies before acknowledging: fetched here and never acknowledged.
    const nc = await connect({ servers: NATS! });
    cleanups.push(() => nc.close());
    const taken = await (await jetstream(nc).consumers.get(stream, CONSUMER_NAME)).fetch({ max_messages: 1, expires: 5_000 });
    let first: { receivedAt: number; events: JourneyEvent[] } | undefined;
    for await (const message of taken) first = decodeBatch(message.data);
    expect(first?.events).toHaveLength(12);
    await rt.append.append(first!.events, first!.receivedAt);
    // Another node consumes: after the ack wait, JetStream redelivers the batch to it.
    q.startConsuming(rt.append);
    await until(() => q.progressNow().consumed === 1, 'the redelivery to be consumed');
    expect(await storedCount(rt)).toBe(12);
    const status = rt.registry.status('wire-transfer', 'success', NOW)!;
    expect({ good: status.good, total: status.total }).toEqual({ good: 10, total: 12 });
    expect(q.progressNow()).toMatchObject({ eventsStored: 0, eventsDuplicate: 12 });
    await until(() => q.progressNow().pending === 0, 'the stream to be empty');
  });

  it('refuses to open with queue_unavailable when nothing listens at the URL', async () => {
    const opening = NatsQueue.open({ url: 'nats://127.0.0.1:1', stream: uniqueStream(), log: silent });
    await expect(opening).rejects.toBeInstanceOf(VigilError);
    await expect(opening).rejects.toMatchObject({ code: 'queue_unavailable', status: 503 });
  });
});
