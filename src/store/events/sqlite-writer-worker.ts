/**
 * The SQLite writer thread's entry (docs/storage.md ("Durability")): its own connection to the file,
 * one SqliteEventWrites, and the requests of sqlite-writer-thread.ts handled one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VigilError } from '../../errors/catalogue.js';
import { SqliteConnection } from '../sqlite/connection.js';
import { SqliteEventWrites } from './sqlite-event-writes.js';
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
      return writes().appendEvents(request.events, request.slis, request.receivedAt);
    case 'rebuild':
      return writes().rebuildSli(request.def);
    case 'drop':
      return writes().dropSli(request.key);
    case 'purge':
      return writes().purge(request.eventsBefore, request.aggregatesBefore, request.fullChunks);
    case 'close':
      opened?.connection.close();
      return undefined;
  }
}

// Synchronous handling: a request runs to its commit before the next message is even read, so writes keep their order.
port.on('message', (request: WriterRequest) => {
  let reply: WriterReply;
  try {
    reply = { id: request.id, ok: true, value: handle(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serialise(error) };
  }
  port.postMessage(reply);
  if (request.op === 'close') port.close();
});
