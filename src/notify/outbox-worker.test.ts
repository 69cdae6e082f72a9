import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationTarget } from '../model/config.js';
import type { OutboxMessage } from '../model/notification.js';
import { DEFAULT_BACKOFF, OutboxWorker, type OutboxStore, retryDelay } from './outbox-worker.js';

/** An outbox kept in memory with the store's semantics: due = undelivered and nextAttemptAt ≤ now, oldest first. */
class MemoryOutbox implements OutboxStore {
  readonly messages = new Map<string, OutboxMessage>();
  add(message: OutboxMessage): void {
    this.messages.set(message.id, message);
  }
  get(id: string): OutboxMessage {
    return this.messages.get(id)!;
  }
  async outboxDue(now: number, limit: number): Promise<OutboxMessage[]> {
    return [...this.messages.values()]
      .filter((m) => m.deliveredAt === null && m.nextAttemptAt <= now)
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, limit);
  }
  async updateOutbox(message: OutboxMessage): Promise<void> {
    this.messages.set(message.id, message);
  }
}

interface Received {
  body: string;
  dedupKey: string | undefined;
  messageId: string | undefined;
}

/** A real HTTP receiver on loopback: the first `failures` requests get 503 (or hang, with `hang`), then 202. */
async function receiver(
  failures: number,
  options: { hang?: boolean } = {},
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({
        body,
        dedupKey: request.headers['x-vigil-dedup-key'] as string | undefined,
        messageId: request.headers['x-vigil-message-id'] as string | undefined,
      });
      if (received.length <= failures) {
        if (options.hang) return; // never answer: the worker's timeout must end the attempt
        response.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
        return;
      }
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const T0 = Date.parse('2026-11-26T10:00:00Z');
const target = (url: string, name = 'itsm'): NotificationTarget => ({ name, type: 'webhook', url, minPriority: 'P3' });
const message = (id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage => ({
  id,
  target: 'itsm',
  dedupKey: 'inc-1',
  payload: JSON.stringify({ event: 'incident.opened', message: id }),
  createdAt: T0,
  attempts: 0,
  nextAttemptAt: T0,
  deliveredAt: null,
  lastError: null,
  ...overrides,
});

describe('retryDelay', () => {
  const cases: [number, number, number][] = [
    // attempts, random, delay
    [1, 0, 5_000],
    [2, 0, 10_000],
    [3, 0, 20_000],
    [7, 0, 320_000],
    [8, 0, 600_000], // 640 s capped at 10 minutes
    [50, 0, 600_000],
    [1, 0.5, 4_500], // jitter takes up to 20% off
    [8, 0.999, 480_120],
  ];
  for (const [attempts, random, delay] of cases) {
    it(`after ${attempts} failed attempt(s), random ${random}: ${delay} ms`, () => {
      expect(retryDelay(attempts, DEFAULT_BACKOFF, random)).toBe(delay);
    });
  }
});

describe('OutboxWorker against a real HTTP receiver', () => {
  it('retries with doubling, jittered delays on an injected clock, then marks the message delivered', async () => {
    const { url, received } = await receiver(3);
    const outbox = new MemoryOutbox();
    outbox.add(message('m1'));
    let now = T0;
    const worker = new OutboxWorker({ store: outbox, targets: [target(url)], clock: () => now, random: () => 0.5 });

    expect(await worker.deliverDue()).toBe(0);
    expect(outbox.get('m1')).toMatchObject({
      attempts: 1,
      nextAttemptAt: T0 + 4_500,
      deliveredAt: null,
      lastError: 'HTTP 503: upstream unavailable',
    });

    now = T0 + 4_499; // not due yet: nothing is sent
    await worker.deliverDue();
    expect(received).toHaveLength(1);

    now = T0 + 4_500;
    await worker.deliverDue();
    expect(outbox.get('m1')).toMatchObject({ attempts: 2, nextAttemptAt: T0 + 4_500 + 9_000 });
    now = T0 + 13_500;
    await worker.deliverDue();
    expect(outbox.get('m1')).toMatchObject({ attempts: 3, nextAttemptAt: T0 + 13_500 + 18_000 });
    now = T0 + 31_500;
    expect(await worker.deliverDue()).toBe(1);
    expect(outbox.get('m1')).toMatchObject({ attempts: 4, deliveredAt: T0 + 31_500, lastError: null });

    // Every attempt carried the same body and dedup key.
    expect(received).toHaveLength(4);
    expect(new Set(received.map((r) => r.body))).toEqual(new Set([message('m1').payload]));
    expect(received.every((r) => r.dedupKey === 'inc-1' && r.messageId === 'm1')).toBe(true);

    now = T0 + 3_600_000;
    expect(await worker.deliverDue()).toBe(0);
    expect(received).toHaveLength(4);
  });

  it('a receiver that does not answer is a failed attempt after the timeout', async () => {
    const { url, received } = await receiver(1, { hang: true });
    const outbox = new MemoryOutbox();
    outbox.add(message('m1'));
    let now = T0;
    const worker = new OutboxWorker({ store: outbox, targets: [target(url)], clock: () => now, timeoutMs: 200, random: () => 0 });
    await worker.deliverDue();
    expect(outbox.get('m1')).toMatchObject({
      attempts: 1,
      deliveredAt: null,
      lastError: 'no answer within 200 ms',
      nextAttemptAt: T0 + 5_000,
    });
    now = T0 + 5_000;
    await worker.deliverDue();
    expect(outbox.get('m1').deliveredAt).toBe(T0 + 5_000);
    expect(received).toHaveLength(2);
  });

  it('a later message for the same incident waits behind a failing earlier one (a resolve never overtakes its trigger)', async () => {
    const { url, received } = await receiver(1);
    const outbox = new MemoryOutbox();
    outbox.add(message('trigger', { payload: '{"event_action":"trigger"}' }));
    outbox.add(message('resolve', { payload: '{"event_action":"resolve"}', createdAt: T0 + 1 }));
    outbox.add(message('other', { dedupKey: 'inc-2', payload: '{"event_action":"trigger","other":true}', createdAt: T0 + 2 }));
    let now = T0 + 10;
    const worker = new OutboxWorker({ store: outbox, targets: [target(url)], clock: () => now, random: () => 0 });

    await worker.deliverDue();
    // The trigger failed; the resolve was held without spending an attempt; another incident's message went ahead.
    expect(outbox.get('trigger')).toMatchObject({ attempts: 1, deliveredAt: null });
    expect(outbox.get('resolve')).toMatchObject({ attempts: 0, deliveredAt: null, nextAttemptAt: T0 + 10 + 5_000 });
    expect(outbox.get('other').deliveredAt).toBe(T0 + 10);

    now = T0 + 10 + 5_000;
    expect(await worker.deliverDue()).toBe(2);
    const forInc1 = received.filter((r) => r.dedupKey === 'inc-1').map((r) => JSON.parse(r.body).event_action);
    expect(forInc1).toEqual(['trigger', 'trigger', 'resolve']);
  });

  it('records why a message cannot be delivered: unknown target, connection refused', async () => {
    const closed = await receiver(0);
    const refusedUrl = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const outbox = new MemoryOutbox();
    outbox.add(message('gone', { target: 'removed-target' }));
    outbox.add(message('refused', { dedupKey: 'inc-2' }));
    const worker = new OutboxWorker({ store: outbox, targets: [target(refusedUrl)], clock: () => T0, random: () => 0 });
    await worker.deliverDue();
    expect(outbox.get('gone')).toMatchObject({
      attempts: 1,
      deliveredAt: null,
      lastError: "no notification target named 'removed-target' is configured",
    });
    expect(outbox.get('refused')).toMatchObject({ attempts: 1, deliveredAt: null });
    expect(outbox.get('refused').lastError).toMatch(/ECONNREFUSED/);
  });

  it.each([301, 302, 307, 308])(
    'a %i redirect is a failed attempt, retried later; the server it points to receives nothing',
    async (status) => {
      const elsewhere = await receiver(0);
      const redirecting = createServer((_request, response) => {
        response.writeHead(status, { location: elsewhere.url }).end();
      });
      await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
      servers.push(redirecting);
      const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`;
      const outbox = new MemoryOutbox();
      outbox.add(message('moved'));
      let now = T0;
      const worker = new OutboxWorker({ store: outbox, targets: [target(url)], clock: () => now, random: () => 0 });
      expect(await worker.deliverDue()).toBe(0);
      expect(outbox.get('moved')).toMatchObject({
        attempts: 1,
        deliveredAt: null,
        nextAttemptAt: T0 + retryDelay(1, DEFAULT_BACKOFF, 0),
        lastError: `HTTP ${status}: redirected to ${elsewhere.url}: not followed`,
      });
      now = outbox.get('moved').nextAttemptAt;
      expect(await worker.deliverDue()).toBe(0);
      expect(outbox.get('moved')).toMatchObject({ attempts: 2, deliveredAt: null });
      expect(elsewhere.received).toEqual([]);
    },
  );

  it('start() delivers in the background through failures, stop() ends it', async () => {
    const { url, received } = await receiver(2);
    const outbox = new MemoryOutbox();
    outbox.add(message('m1', { createdAt: Date.now(), nextAttemptAt: Date.now() }));
    const worker = new OutboxWorker({ store: outbox, targets: [target(url)], pollIntervalMs: 5, backoff: { baseMs: 20, maxMs: 100 } });
    worker.start();
    const deadline = Date.now() + 5_000;
    while (outbox.get('m1').deliveredAt === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await worker.stop();
    expect(outbox.get('m1')).toMatchObject({ attempts: 3, lastError: null });
    expect(outbox.get('m1').deliveredAt).not.toBeNull();
    expect(received).toHaveLength(3);

    outbox.add(message('m2', { createdAt: Date.now(), nextAttemptAt: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(3);
    expect(outbox.get('m2').attempts).toBe(0);
  });
});
