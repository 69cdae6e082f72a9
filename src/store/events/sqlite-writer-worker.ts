/**
 * The SQLite writer thread's entry (docs/storage.md ("Durability")): its own connection to the file,
 * one SqliteEventWrites, and the requests of sqlite-writer-thread.ts handled one at a time, in order.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { VigilError } from '../../errors/catalogue.js';
import { SqliteConnection } from '../sqlite/connection.js';
import { unpackEvents } from './packed-events.js';
import { type AppendRequest, CUSTOMER_TAIL_MAX, SqliteEventWrites } from './sqlite-event-writes.js';
import type { SerialisedError, WriterReply, WriterRequest } from './sqlite-writer-protocol.js';

const { path } = workerData as { path: string };
const port = parentPort!;
let opened: { connection: SqliteConnection; writes: SqliteEventWrites } | undefined;

/** The connection is opened by the first request, so a file that cannot be opened fails that request with its code. */
function writes(): SqliteEventWrites {
  if (!opened) {
    const connection = new SqliteConnection(path);
    opened = { connection, writes: new SqliteEventWrites(connection) };
  }
  return opened.writes;
}

function serialise(error: unknown): SerialisedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' ? { code } : {}),
    vigil: e instanceof VigilError,
    ...(e.cause !== undefined ? { cause: serialise(e.cause) } : {}),
  };
}

function handle(request: WriterRequest): unknown {
  switch (request.op) {
    case 'append':
      return writes().appendEvents(unpackEvents(request.packed), request.slis, request.receivedAt);
    case 'rebuild':
      return writes().rebuildSli(request.def);
    case 'drop':
      return writes().dropSli(request.key);
    case 'purge':
      return writes().purge(request.eventsBefore, request.aggregatesBefore, request.fullChunks);
    case 'index':
      writes().catchUpCustomers();
      return undefined;
    case 'close':
      // A clean stop leaves no tail to index at the next start.
      clearTimeout(indexTimer);
      if (opened) {
        try {
          opened.writes.catchUpCustomers();
        } finally {
          opened.connection.close();
          opened = undefined;
        }
      }
      return undefined;
  }
}

/** At most this many events go into one group commit: a group's appends are all answered when it commits. */
const GROUP_EVENTS = 20_000;

function reply(request: WriterRequest, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
  port.postMessage(
    (outcome.ok
      ? { id: request.id, ok: true, value: outcome.value }
      : { id: request.id, ok: false, error: serialise(outcome.error) }) as WriterReply,
  );
}

/**
 * Requests already queued behind the one being handled, taken off the port at once: consecutive appends among
 * them commit together (SqliteEventWrites.appendGroup), every other request runs alone, all in arrival order.
 */
function handleQueued(first: WriterRequest): void {
  const queue: WriterRequest[] = [first];
  for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port))
    queue.push(next.message as WriterRequest);
  let i = 0;
  while (i < queue.length) {
    const request = queue[i]!;
    if (request.op !== 'append') {
      i++;
      try {
        reply(request, { ok: true, value: handle(request) });
      } catch (error) {
        reply(request, { ok: false, error });
      }
      if (request.op === 'close') {
        port.close();
        return;
      }
      continue;
    }
    const group: Array<Extract<WriterRequest, { op: 'append' }>> = [];
    let events = 0;
    for (; i < queue.length; i++) {
      const candidate = queue[i]!;
      if (candidate.op !== 'append' || (group.length > 0 && events + candidate.packed.count > GROUP_EVENTS)) break;
      group.push(candidate);
      events += candidate.packed.count;
    }
    let outcomes: ReturnType<SqliteEventWrites['appendGroup']>;
    try {
      outcomes = writes().appendGroup(
        group.map((r): AppendRequest => ({ events: unpackEvents(r.packed), slis: r.slis, receivedAt: r.receivedAt })),
      );
    } catch (error) {
      outcomes = group.map(() => ({ ok: false, error }));
    }
    for (const [n, request] of group.entries()) reply(request, outcomes[n]!);
  }
  indexInBackground();
}

/** How long appended events may wait, unindexed, for the writer to be idle (docs/storage.md ("The customer index")). */
const CUSTOMER_INDEX_DELAY_MS = 2_000;
let indexTimer: NodeJS.Timeout | undefined;

/**
 * The customer index is derived data, kept off the appends' path: after the requests queued so far, one step of at most
 * 50,000 events when the tail has reached 20,000 (the next requests wait for that one transaction), otherwise a step
 * once the timer fires, in a pause between requests. An append is acknowledged without it; a failed step is retried
 * later, and a query reads the events after the watermark directly, so nothing depends on when it runs.
 */
function indexInBackground(): void {
  if (!opened) return;
  try {
    const tail = opened.writes.customerTail();
    if (tail >= CUSTOMER_TAIL_MAX) opened.writes.indexCustomers();
    else if (tail > 0 && indexTimer === undefined) {
      indexTimer = setTimeout(() => {
        indexTimer = undefined;
        try {
          opened?.writes.catchUpCustomers();
        } catch {
          // Busy or full now: the next append or query tries again.
        }
      }, CUSTOMER_INDEX_DELAY_MS);
      // Idle, the thread must not stay alive for it (close indexes the tail anyway).
      indexTimer.unref();
    }
  } catch {
    // Busy or full now: the next append or query tries again.
  }
}

// Synchronous handling: a request (or a group of queued appends) runs to its commit before the next message is read,
// so writes keep their order.
port.on('message', handleQueued);
