/**
 * The rules Sloth writes for a spec (docs/prometheus.md ("Importing Sloth specs")): each loaded SLO through the
 * Sloth-shaped writer of `rules.ts`, with Sloth's IDs, labels and thresholds, one output document per input document.
 */
import { WORKBOOK_PAIRS } from '../engine/alert-pairs.js';
import type { RuleDocument } from './rules-yaml.js';
import { type BurnPair, mergeLabels, type PeriodWindows, sloRuleGroups } from './rules.js';
import { renderWindow, type SlothDocument, type SlothSlo } from './sloth-spec.js';

const DAY_MS = 86_400_000;

/** Vigil's built-in Workbook pairs as Sloth's period windows (Sloth ships the same values for 28 and 30 days). */
function workbookWindows(periodMs: number): PeriodWindows {
  const pairs = (severity: 'page' | 'ticket'): BurnPair[] =>
    WORKBOOK_PAIRS.filter((p) => p.severity === severity).map((p) => ({
      shortMs: p.shortMinutes * 60_000,
      longMs: p.longMinutes * 60_000,
      budgetPercent: p.budgetPercent,
    }));
  return { periodMs, page: pairs('page'), ticket: pairs('ticket') };
}

/** The windows Sloth knows without `--windows-dir`: 28 and 30 days. */
export const DEFAULT_SLOTH_WINDOWS: ReadonlyMap<number, PeriodWindows> = new Map([
  [28 * DAY_MS, workbookWindows(28 * DAY_MS)],
  [30 * DAY_MS, workbookWindows(30 * DAY_MS)],
]);

export interface SlothRuleOptions {
  windows: ReadonlyMap<number, PeriodWindows>;
  /** Labels added to every SLO (Sloth's `-l k=v`). */
  extraLabels: Record<string, string>;
  disableAlerts: boolean;
  disableRecordings: boolean;
  /** `sloth_version` of `sloth_slo_info`. */
  version: string;
}

/** Sloth's SLI error-ratio expression over one window: `(error)\n/\n(total)\n` for events, `(raw)` for a raw ratio. */
export function slothErrorRatio(slo: SlothSlo): (window: string) => string {
  if ('events' in slo.sli) {
    const { errorQuery, totalQuery } = slo.sli.events;
    return (window) => `(${renderWindow(errorQuery, window)})\n/\n(${renderWindow(totalQuery, window)})\n`;
  }
  const { errorRatioQuery } = slo.sli.raw;
  return (window) => `(${renderWindow(errorRatioQuery, window)})`;
}

/**
 * The rule documents for loaded Sloth documents: for a `PrometheusServiceLevel` a `PrometheusRule`, else plain groups.
 * @example slothRuleDocuments(result.documents, {
 *   windows: DEFAULT_SLOTH_WINDOWS, extraLabels: {}, disableAlerts: false, disableRecordings: false, version: 'vigil-0.1.0' })
 */
export function slothRuleDocuments(documents: readonly SlothDocument[], options: SlothRuleOptions): RuleDocument[] {
  return documents.map((doc) => {
    const spec = doc.flavour;
    const groups = doc.slos.flatMap((slo) => {
      const windows = options.windows.get(slo.periodMs);
      if (!windows) throw new RangeError(`no alert windows for the ${slo.periodMs / DAY_MS} day period of ${slo.id}`);
      return sloRuleGroups(
        {
          id: slo.id,
          service: slo.service,
          name: slo.name,
          objective: slo.objective,
          labels: mergeLabels(slo.labels, options.extraLabels),
          errorRatio: slothErrorRatio(slo),
          windows,
          ...(slo.page && { page: slo.page }),
          ...(slo.ticket && { ticket: slo.ticket }),
          info: { version: options.version, mode: doc.mode, spec },
        },
        { recordings: !options.disableRecordings, alerts: !options.disableAlerts },
      );
    });
    return doc.k8s
      ? {
          kind: 'prometheus-rule' as const,
          name: doc.k8s.name,
          ...(doc.k8s.namespace !== undefined && { namespace: doc.k8s.namespace }),
          ...(doc.k8s.labels && { labels: doc.k8s.labels }),
          ...(doc.k8s.annotations && { annotations: doc.k8s.annotations }),
          groups,
        }
      : { kind: 'groups' as const, groups };
  });
}
