/**
 * The SourceStore capability: minutes read from external SLI sources (Prometheus) and how far each SLI has been read
 * for good, so a restart resumes where it stopped instead of reading the whole window again
 * (docs/prometheus.md ("Prometheus as an SLI source"), docs/storage.md ("Sources tables")).
 */
import type { EpochMinute, SliMinute } from '../../model/minutes.js';

/** How far one SLI has been read: minutes [startMinute, watermark) are read for good (settled). */
export interface SourceWatermark {
  key: string;
  /** The first minute the backfill asked for. */
  startMinute: EpochMinute;
  /** The first minute not yet settled: it and later minutes are read again. */
  watermark: EpochMinute;
}

/** One read of minutes [fromMinute, toMinute) of an SLI: what Prometheus answered, and the watermark after it. */
export interface SourceRead {
  key: string;
  fromMinute: EpochMinute;
  toMinute: EpochMinute;
  /** Minutes with a figure; minutes of the range without one are gaps, and any row stored for them is removed. */
  minutes: readonly { minute: EpochMinute; good: number; total: number }[];
  startMinute: EpochMinute;
  watermark: EpochMinute;
}

/** Persistence of source minutes and watermarks. */
export interface SourceStore {
  /** In one transaction: replace the rows of [fromMinute, toMinute) of the SLI by `minutes`, and set its watermark. */
  saveSourceRead(read: SourceRead): Promise<void>;
  /** Stored minutes of an SLI in [fromMinute, toMinute), oldest first. */
  sourceMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]>;
  /** How many minutes of an SLI in [fromMinute, toMinute) have a stored figure. */
  countSourceMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<number>;
  /** The SLI's watermark, or null when it was never read. */
  sourceWatermark(key: string): Promise<SourceWatermark | null>;
  /** Every SLI with a watermark, by key. */
  sourceWatermarks(): Promise<SourceWatermark[]>;
  /** Forget an SLI (no longer configured): its minutes and its watermark. */
  dropSource(key: string): Promise<void>;
  /** Delete minutes before `beforeMinute` (retention); returns how many. */
  purgeSourceMinutes(beforeMinute: EpochMinute): Promise<number>;
}
