/** The messages between the SQLite writer thread and the store that owns it (sqlite-writer-thread.ts, sqlite-writer-worker.ts). */
import type { SliDefinition } from '../../engine/sli.js';
import type { JourneyEvent } from '../../model/event.js';
import type { EpochMinute } from '../../model/minutes.js';

export type WriterRequest = { id: number } & (
  | { op: 'append'; events: readonly JourneyEvent[]; slis: readonly SliDefinition[]; receivedAt: number }
  | { op: 'rebuild'; def: SliDefinition }
  | { op: 'drop'; key: string }
  | { op: 'purge'; eventsBefore: number; aggregatesBefore: EpochMinute; fullChunks?: number }
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
