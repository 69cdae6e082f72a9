/**
 * The EventStore's writes on a worker thread with its own connection to the SQLite file
 * (docs/storage.md ("Durability")): the insert, the aggregate upserts and the fsync of each batch no
 * longer block the thread that answers reads. WAL lets that thread read while this one writes.
 */
import { Worker } from 'node:worker_threads';
import type { SliDefinition } from '../../engine/sli.js';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import type { JourneyEvent } from '../../model/event.js';
import type { EpochMinute } from '../../model/minutes.js';
import type { AppendResult } from './event-store.js';
import { packEvents } from './packed-events.js';
import type { PurgeStep, SqliteEventWriter } from './sqlite-event-writes.js';
import type { SerialisedError, WriterReply, WriterRequest } from './sqlite-writer-protocol.js';

/** How long close waits for the writes already queued before it stops the thread outright. */
const CLOSE_TIMEOUT_MS = 30_000;

type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts the worker from the compiled file beside this one (dist/), or, when this module runs from
 * its TypeScript source (vitest), from the .ts entry compiled on the fly by ts-source-hooks.mjs with
 * the typescript dev dependency: no build step between editing and testing the writer thread.
 */
function startWorker(path: string): Worker {
  // No inherited node flags: some (`--input-type` of `node -e`) make a worker refuse to start, and the thread needs none.
  const options = { workerData: { path }, execArgv: [] };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-writer-worker.js', import.meta.url), options);
  const hooks = new URL('../sqlite/ts-source-hooks.mjs', import.meta.url).href;
  const entry = new URL('./sqlite-writer-worker.ts', import.meta.url).href;
  return new Worker(`require('node:module').register(${JSON.stringify(hooks)}); import(${JSON.stringify(entry)});`, {
    eval: true,
    ...options,
  });
}

/** Rebuilds, in this thread, an error thrown on the writer thread: a VigilError keeps its code, a SqliteError its `code`. */
function revive(error: SerialisedError): Error {
  const cause = error.cause === undefined ? undefined : revive(error.cause);
  if (error.vigil && error.code !== undefined && error.code in ERROR_CATALOGUE) {
    return new VigilError(error.code as ErrorCode, error.message, cause === undefined ? undefined : { cause });
  }
  const revived = new Error(error.message, cause === undefined ? undefined : { cause });
  revived.name = error.name;
  if (error.code !== undefined) Object.assign(revived, { code: error.code });
  return revived;
}

/**
 * The writer thread of one SQLite file. Requests are queued to the thread in call order and run
 * there one at a time; each promise settles when its transaction has committed (or failed). The
 * thread keeps the process alive only while a request is pending, starts on the first write, and
 * starts again after it stopped unexpectedly (kill, crash): the writes pending then fail with
 * store_unavailable.
 * @example const writer = new SqliteWriterThread('./vigil.db'); await writer.appendEvents(events, slis, Date.now()); await writer.close();
 */
export class SqliteWriterThread implements SqliteEventWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(private readonly path: string) {}

  appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult> {
    return this.request({ op: 'append', packed: packEvents(events), slis, receivedAt }) as Promise<AppendResult>;
  }

  rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }> {
    return this.request({ op: 'rebuild', def }) as Promise<{ events: number; minutes: number }>;
  }

  async dropSli(key: string): Promise<void> {
    await this.request({ op: 'drop', key });
  }

  purge(eventsBefore: number, aggregatesBefore: EpochMinute, fullChunks?: number): Promise<PurgeStep> {
    return this.request({
      op: 'purge',
      eventsBefore,
      aggregatesBefore,
      ...(fullChunks !== undefined && { fullChunks }),
    }) as Promise<PurgeStep>;
  }

  async indexCustomers(): Promise<void> {
    await this.request({ op: 'index' });
  }

  /** Lets the queued writes commit, closes the thread's connection and waits for the thread to end; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** Stops the thread at once, as a crash would: pending writes fail with store_unavailable, the next write starts a new thread. */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Whether the thread is running now (it starts on the first write). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private request(body: Request): Promise<unknown> {
    if (this.closing) return Promise.reject(new VigilError('store_unavailable', `The SQLite database at ${this.path} is closed.`));
    return this.send(this.worker ?? this.start(), body);
  }

  private send(worker: Worker, body: Request): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      try {
        worker.postMessage({ id, ...body });
      } catch (error) {
        this.pending.delete(id);
        if (this.pending.size === 0) worker.unref();
        reject(error);
      }
    });
  }

  private start(): Worker {
    const worker = startWorker(this.path);
    // Idle, the thread must not keep the process alive (a script that forgets to close the store still exits).
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.settle(worker, reply));
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`the thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: WriterReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(revive(reply.error));
  }

  private stopped(worker: Worker, cause: Error): void {
    if (this.worker !== worker) return; // 'error' is followed by 'exit': fail the pending writes once
    this.worker = undefined;
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const waiting of failed) {
      waiting.reject(
        new VigilError(
          'store_unavailable',
          `The SQLite writer thread for ${this.path} stopped (${cause.message}); the write may or may not have been stored. ` +
            'Retry it: events with an id are never stored twice.',
          { cause },
        ),
      );
    }
  }

  private async shutDown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Queued after every pending write, so those commit first; the thread closes its connection, then ends.
    this.send(worker, { op: 'close' }).catch(() => undefined);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
