/** The line an SLO card shows for an SLO read from Prometheus (docs/prometheus.md ("States")): never a silent zero. */
import type { SourceSli } from './api-types.js';

/** The source reading an SLO of a journey, or null when the SLO counts events. */
export function sourceOf(sources: readonly SourceSli[] | null | undefined, journey: string, slo: string): SourceSli | null {
  return sources?.find((s) => s.journey === journey && s.slos.includes(slo)) ?? null;
}

/** Whether the figures next to the line can be trusted as current. */
export function sourceHealthy(source: SourceSli): boolean {
  return source.state === 'following';
}

/**
 * The words for a source's state.
 * @example sourceText({ state: 'backfilling', progress: { percent: 40 }, … }) // 'Prometheus: backfilling history, 40%'
 */
export function sourceText(source: Pick<SourceSli, 'state' | 'message' | 'progress' | 'lastDataAt'>): string {
  const since = source.lastDataAt ? ` (last data ${source.lastDataAt.slice(0, 16).replace('T', ' ')} UTC)` : '';
  switch (source.state) {
    case 'waiting':
      return 'Prometheus: not read yet';
    case 'backfilling':
      return `Prometheus: backfilling history, ${source.progress?.percent ?? 0}%`;
    case 'following':
      return 'Prometheus: following';
    case 'lagging':
      return `Prometheus: lagging, the latest minutes have no data yet${since}`;
    case 'no_data':
      return `Prometheus: no data for the latest minutes, figures are unknown since then${since}`;
    case 'prometheus_unreachable':
      return `Prometheus unreachable: ${source.message ?? ''}`;
    case 'prometheus_error':
      return `Prometheus refused the query: ${source.message ?? ''}`;
  }
}
