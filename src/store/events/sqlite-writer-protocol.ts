/** The messages between the SQLite writer thread and the store that owns it (sqlite-writer-thread.ts, sqlite-writer-worker.ts). */
import type { SliDefinition } from '../../engine/sli.js';
import type { EpochMinute } from '../../model/minutes.js';
import type { PackedEvents } from './packed-events.js';

export type WriterRequest = { id: number } & (
  | { op: 'append'; packed: PackedEvents; slis: readonly SliDefinition[]; receivedAt: number }
  | { op: 'rebuild'; def: SliDefinition }
  | { op: 'drop'; key: string }
  | { op: 'purge'; eventsBefore: number; aggregatesBefore: EpochMinute; fullChunks?: number }
  | { op: 'index' }
  | { op: 'close' }
);

/** An error as it crosses the thread boundary: enough to rebuild a VigilError with its code, or a SqliteError with its. */
export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
  vigil: boolean;
  cause?: SerialisedError;
}

export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerialisedError };
