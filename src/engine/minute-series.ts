/**
 * In-memory per-minute counts with hour and day roll-ups, so that the sum over any window of whole
 * minutes costs O(days + hours + minutes at the two edges), never O(events). Several channels
 * (e.g. good and total) are kept side by side.
 */

export const MINUTES_PER_DAY = 1440;
const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;

type Counts = Uint16Array | Uint32Array | Float64Array;

interface DayChunk {
  /** minute-of-day × channels + channel */
  minutes: Counts;
  /** hour-of-day × channels + channel */
  hours: Float64Array;
  /** per channel */
  day: Float64Array;
  /** bumped on every write, so cached slice tallies know they are stale */
  version: number;
  slices?: Map<number, SliceTally>;
}

interface SliceTally {
  version: number;
  hourSlices: Uint16Array;
  hourGood: Uint16Array;
  daySlices: number;
  dayGood: number;
}

/** Result of counting one-minute slices (docs/slo-maths.md ("Timeslices")). */
export interface SliceCount {
  slices: number;
  goodSlices: number;
}

/** Scale of a slice target: percent × 1e6, so 99.95 → 99_950_000 (integer maths, no float drift). */
export const SLICE_TARGET_SCALE = 1e6;

/**
 * Per-minute counts in UTC days.
 * @example
 * const s = new MinuteSeries(2); s.add(29_000_000, 0, 5); s.add(29_000_000, 1, 6);
 * const out = new Float64Array(2); s.sums(29_000_000, 29_000_001, out); // out = [5, 6]
 */
export class MinuteSeries {
  readonly channels: number;
  private chunks: (DayChunk | undefined)[] = [];
  private baseDay = 0;

  constructor(channels: number) {
    this.channels = channels;
  }

  /** Add `value` (may be negative only to undo an earlier add) to one channel of one minute. */
  add(minute: number, channel: number, value: number): void {
    if (value === 0) return;
    const chunk = this.chunkFor(Math.floor(minute / MINUTES_PER_DAY), true)!;
    const offset = minute - Math.floor(minute / MINUTES_PER_DAY) * MINUTES_PER_DAY;
    const index = offset * this.channels + channel;
    const next = chunk.minutes[index]! + value;
    if (next > maxOf(chunk.minutes) || !Number.isInteger(next)) this.widen(chunk, next);
    chunk.minutes[index] = next;
    chunk.hours[Math.floor(offset / MINUTES_PER_HOUR) * this.channels + channel]! += value;
    chunk.day[channel]! += value;
    chunk.version++;
  }

  /** The count of one channel in one minute. */
  get(minute: number, channel: number): number {
    const chunk = this.chunkFor(Math.floor(minute / MINUTES_PER_DAY), false);
    if (!chunk) return 0;
    const offset = minute - Math.floor(minute / MINUTES_PER_DAY) * MINUTES_PER_DAY;
    return chunk.minutes[offset * this.channels + channel]!;
  }

  /** Sum of every channel over minutes [from, to), written into `out` (length ≥ channels). */
  sums(from: number, to: number, out: Float64Array): Float64Array {
    out.fill(0, 0, this.channels);
    if (to <= from) return out;
    const fromDay = Math.floor(from / MINUTES_PER_DAY);
    const lastDay = Math.floor((to - 1) / MINUTES_PER_DAY);
    const fromOffset = from - fromDay * MINUTES_PER_DAY;
    const toOffset = to - lastDay * MINUTES_PER_DAY;
    if (fromDay === lastDay) {
      this.addWithinDay(fromDay, fromOffset, toOffset, out);
      return out;
    }
    this.addWithinDay(fromDay, fromOffset, MINUTES_PER_DAY, out);
    const firstFull = Math.max(fromDay + 1, this.baseDay);
    const lastFull = Math.min(lastDay - 1, this.baseDay + this.chunks.length - 1);
    for (let day = firstFull; day <= lastFull; day++) {
      const chunk = this.chunks[day - this.baseDay];
      if (!chunk) continue;
      for (let c = 0; c < this.channels; c++) out[c]! += chunk.day[c]!;
    }
    this.addWithinDay(lastDay, 0, toOffset, out);
    return out;
  }

  /**
   * One-minute slices in [from, to): a slice counts when its total > 0, and is good when
   * good / total ≥ target, with `targetScaled` = target percent × SLICE_TARGET_SCALE.
   */
  countSlices(from: number, to: number, goodChannel: number, totalChannel: number, targetScaled: number): SliceCount {
    const result: SliceCount = { slices: 0, goodSlices: 0 };
    if (to <= from) return result;
    for (let day = Math.floor(from / MINUTES_PER_DAY); day * MINUTES_PER_DAY < to; day++) {
      const chunk = this.chunkFor(day, false);
      if (!chunk) continue;
      const dayStart = day * MINUTES_PER_DAY;
      const a = Math.max(from, dayStart) - dayStart;
      const b = Math.min(to, dayStart + MINUTES_PER_DAY) - dayStart;
      const tally = this.tally(chunk, goodChannel, totalChannel, targetScaled);
      if (a === 0 && b === MINUTES_PER_DAY) {
        result.slices += tally.daySlices;
        result.goodSlices += tally.dayGood;
        continue;
      }
      const hourA = Math.ceil(a / MINUTES_PER_HOUR);
      const hourB = Math.floor(b / MINUTES_PER_HOUR);
      if (hourA >= hourB) {
        this.scanSlices(chunk, a, b, goodChannel, totalChannel, targetScaled, result);
        continue;
      }
      this.scanSlices(chunk, a, hourA * MINUTES_PER_HOUR, goodChannel, totalChannel, targetScaled, result);
      for (let h = hourA; h < hourB; h++) {
        result.slices += tally.hourSlices[h]!;
        result.goodSlices += tally.hourGood[h]!;
      }
      this.scanSlices(chunk, hourB * MINUTES_PER_HOUR, b, goodChannel, totalChannel, targetScaled, result);
    }
    return result;
  }

  /** Earliest and latest minute that hold a chunk (whole days), or null when empty. */
  extent(): { fromMinute: number; toMinute: number } | null {
    let first = -1;
    let last = -1;
    for (let i = 0; i < this.chunks.length; i++) {
      if (!this.chunks[i]) continue;
      if (first < 0) first = i;
      last = i;
    }
    if (first < 0) return null;
    return { fromMinute: (this.baseDay + first) * MINUTES_PER_DAY, toMinute: (this.baseDay + last + 1) * MINUTES_PER_DAY };
  }

  /** Forget every day that ends at or before `minute` (retention). */
  dropBefore(minute: number): void {
    const keepFromDay = Math.floor(minute / MINUTES_PER_DAY);
    const drop = Math.min(Math.max(0, keepFromDay - this.baseDay), this.chunks.length);
    if (drop === 0) return;
    this.chunks.splice(0, drop);
    this.baseDay += drop;
  }

  /** Replace one whole day's minute counts at once (bulk loading); `counts` is minute-of-day × channels. */
  loadDay(day: number, counts: ArrayLike<number>): void {
    const chunk = this.chunkFor(day, true)!;
    let max = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i]! > max) max = counts[i]!;
    if (max > maxOf(chunk.minutes)) this.widen(chunk, max);
    chunk.minutes.set(counts);
    chunk.hours.fill(0);
    chunk.day.fill(0);
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const hourBase = Math.floor(m / MINUTES_PER_HOUR) * this.channels;
      for (let c = 0; c < this.channels; c++) {
        const v = chunk.minutes[m * this.channels + c]!;
        chunk.hours[hourBase + c]! += v;
        chunk.day[c]! += v;
      }
    }
    chunk.version++;
  }

  private addWithinDay(day: number, a: number, b: number, out: Float64Array): void {
    const chunk = this.chunkFor(day, false);
    if (!chunk || b <= a) return;
    const channels = this.channels;
    const hourA = Math.ceil(a / MINUTES_PER_HOUR);
    const hourB = Math.floor(b / MINUTES_PER_HOUR);
    if (hourA >= hourB) {
      addMinutes(chunk.minutes, channels, a, b, out);
      return;
    }
    addMinutes(chunk.minutes, channels, a, hourA * MINUTES_PER_HOUR, out);
    for (let h = hourA; h < hourB; h++) {
      for (let c = 0; c < channels; c++) out[c]! += chunk.hours[h * channels + c]!;
    }
    addMinutes(chunk.minutes, channels, hourB * MINUTES_PER_HOUR, b, out);
  }

  private tally(chunk: DayChunk, goodChannel: number, totalChannel: number, targetScaled: number): SliceTally {
    const key = targetScaled * 64 + goodChannel * 8 + totalChannel;
    chunk.slices ??= new Map();
    let tally = chunk.slices.get(key);
    if (tally && tally.version === chunk.version) return tally;
    tally = {
      version: chunk.version,
      hourSlices: new Uint16Array(HOURS_PER_DAY),
      hourGood: new Uint16Array(HOURS_PER_DAY),
      daySlices: 0,
      dayGood: 0,
    };
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const total = chunk.minutes[m * this.channels + totalChannel]!;
      if (total <= 0) continue;
      const h = Math.floor(m / MINUTES_PER_HOUR);
      tally.hourSlices[h]!++;
      tally.daySlices++;
      if (sliceIsGood(chunk.minutes[m * this.channels + goodChannel]!, total, targetScaled)) {
        tally.hourGood[h]!++;
        tally.dayGood++;
      }
    }
    chunk.slices.set(key, tally);
    return tally;
  }

  private scanSlices(
    chunk: DayChunk,
    a: number,
    b: number,
    goodChannel: number,
    totalChannel: number,
    targetScaled: number,
    out: SliceCount,
  ): void {
    for (let m = a; m < b; m++) {
      const total = chunk.minutes[m * this.channels + totalChannel]!;
      if (total <= 0) continue;
      out.slices++;
      if (sliceIsGood(chunk.minutes[m * this.channels + goodChannel]!, total, targetScaled)) out.goodSlices++;
    }
  }

  private chunkFor(day: number, create: boolean): DayChunk | undefined {
    if (this.chunks.length === 0) {
      if (!create) return undefined;
      this.baseDay = day;
    }
    if (day < this.baseDay) {
      if (!create) return undefined;
      const grow = this.baseDay - day;
      this.chunks.unshift(...new Array<DayChunk | undefined>(grow).fill(undefined));
      this.baseDay = day;
    }
    const index = day - this.baseDay;
    let chunk = this.chunks[index];
    if (!chunk && create) {
      while (this.chunks.length <= index) this.chunks.push(undefined);
      chunk = {
        minutes: new Uint16Array(MINUTES_PER_DAY * this.channels),
        hours: new Float64Array(HOURS_PER_DAY * this.channels),
        day: new Float64Array(this.channels),
        version: 0,
      };
      this.chunks[index] = chunk;
    }
    return chunk;
  }

  private widen(chunk: DayChunk, value: number): void {
    const wider: Counts =
      Number.isInteger(value) && value <= 0xffffffff && value >= 0
        ? new Uint32Array(chunk.minutes.length)
        : new Float64Array(chunk.minutes.length);
    wider.set(chunk.minutes);
    chunk.minutes = wider;
  }
}

function maxOf(counts: Counts): number {
  if (counts instanceof Uint16Array) return 0xffff;
  if (counts instanceof Uint32Array) return 0xffffffff;
  return Number.MAX_SAFE_INTEGER;
}

function addMinutes(minutes: Counts, channels: number, a: number, b: number, out: Float64Array): void {
  if (channels === 2) {
    let s0 = 0;
    let s1 = 0;
    for (let i = a * 2, end = b * 2; i < end; i += 2) {
      s0 += minutes[i]!;
      s1 += minutes[i + 1]!;
    }
    out[0]! += s0;
    out[1]! += s1;
    return;
  }
  for (let m = a; m < b; m++) {
    for (let c = 0; c < channels; c++) out[c]! += minutes[m * channels + c]!;
  }
}

/** good / total ≥ target percent, decided in integers where they are exact. */
export function sliceIsGood(good: number, total: number, targetScaled: number): boolean {
  const left = good * 100 * SLICE_TARGET_SCALE;
  const right = targetScaled * total;
  if (left <= Number.MAX_SAFE_INTEGER && right <= Number.MAX_SAFE_INTEGER) return left >= right;
  return good / total >= targetScaled / (100 * SLICE_TARGET_SCALE);
}
