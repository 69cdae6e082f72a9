/** The answer of `GET /api/v1/sources` (docs/api.md ("Sources")): how each SLI of kind `prometheus` is being read. */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { SourcesResponse } from '../../api/sources.js';
import type { VigilConfig } from '../../model/config.js';
import { MS_PER_MINUTE } from '../../model/minutes.js';
import type { SourceStatus } from '../prometheus-sources.js';

const minuteInstant = (minute: number | null) => toInstantOrNull(minute === null ? null : minute * MS_PER_MINUTE);

/** The wire form of the reader's statuses. */
export function sourcesAnswer(config: VigilConfig, statuses: readonly SourceStatus[]): SourcesResponse {
  const prometheus = config.sources?.prometheus;
  return {
    prometheus: prometheus ? { url: prometheus.url, settleMinutes: prometheus.settleMinutes } : null,
    slis: statuses.map((s) => ({
      key: s.key,
      journey: s.journey,
      slos: [...s.slos],
      queries: { ...s.queries },
      state: s.state,
      since: toInstant(s.since),
      message: s.message,
      progress: s.progress && {
        from: toInstant(s.progress.fromMinute * MS_PER_MINUTE),
        to: toInstant(s.progress.toMinute * MS_PER_MINUTE),
        readTo: toInstant(s.progress.readTo * MS_PER_MINUTE),
        percent:
          s.progress.toMinute > s.progress.fromMinute
            ? Math.round(((s.progress.readTo - s.progress.fromMinute) / (s.progress.toMinute - s.progress.fromMinute)) * 1000) / 10
            : 100,
      },
      watermark: minuteInstant(s.watermark),
      lastDataAt: minuteInstant(s.lastDataMinute),
      gapMinutes: s.gapMinutes,
      recentGaps: s.recentGaps.map(([from, to]) => ({ from: toInstant(from * MS_PER_MINUTE), to: toInstant(to * MS_PER_MINUTE) })),
      clampedMinutes: s.clampedMinutes,
    })),
  };
}
