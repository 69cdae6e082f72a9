/** Source rows as both backends read them. */
import type { SliMinute } from '../../model/minutes.js';
import type { SourceWatermark } from './source-store.js';

type Num = number | string;

export interface MinuteRow {
  sli_key: string;
  minute: Num;
  good: Num;
  total: Num;
}

export interface WatermarkRow {
  sli_key: string;
  start_minute: Num;
  watermark: Num;
}

export const minuteFromRow = (r: MinuteRow): SliMinute => ({
  key: r.sli_key,
  minute: Number(r.minute),
  good: Number(r.good),
  total: Number(r.total),
});

export const watermarkFromRow = (r: WatermarkRow): SourceWatermark => ({
  key: r.sli_key,
  startMinute: Number(r.start_minute),
  watermark: Number(r.watermark),
});

export const UPSERT_WATERMARK =
  'INSERT INTO source_watermarks (sli_key, start_minute, watermark) VALUES (?, ?, ?) ' +
  'ON CONFLICT (sli_key) DO UPDATE SET start_minute = excluded.start_minute, watermark = excluded.watermark';
