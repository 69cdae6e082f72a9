/**
 * The benchmark read model (docs/benchmark.md ("The benchmark")): per journey with probes or status pages, one row per
 * owner with its probe availability and Wilson interval, latency percentiles, status-page minutes, shared ranks, and for
 * `self` the journey's real customer success beside the probe figure.
 */
import type { BenchmarkResponse, BenchmarkRow } from '../../api/benchmark.js';
import { toInstant } from '../../api/common.js';
import type { SloRegistry } from '../../engine/slo-registry.js';
import { SELF_OWNER } from '../../model/benchmark.js';
import type { VigilConfig } from '../../model/config.js';
import type { BenchmarkStore } from '../../store/benchmarks/benchmark-store.js';
import { percentile, rankOwners } from '../../value/benchmark.js';
import { wilson } from '../../value/stats.js';

const MINUTE_MS = 60_000;

/**
 * The benchmark over [from, to).
 * @example await benchmark(config, registry, store.benchmarks, from, to) // { from, to, journeys: [{ journey: 'login', owners: [...] }] }
 */
export async function benchmark(
  config: VigilConfig,
  registry: SloRegistry,
  store: BenchmarkStore,
  from: number,
  to: number,
): Promise<BenchmarkResponse> {
  const spec = config.benchmarks ?? { probes: [], statusPages: [] };
  const [probes, status] = await Promise.all([
    store.probeSummaries(from, to),
    store.statusSummaries(Math.floor(from / MINUTE_MS), Math.ceil(to / MINUTE_MS)),
  ]);
  // Journeys in configuration order, with their owners in the order first configured.
  const owners = new Map<string, Set<string>>();
  const statusOwners = new Set<string>();
  for (const p of spec.probes) (owners.get(p.journey) ?? owners.set(p.journey, new Set()).get(p.journey)!).add(p.owner);
  for (const s of spec.statusPages) {
    (owners.get(s.journey) ?? owners.set(s.journey, new Set()).get(s.journey)!).add(s.owner);
    statusOwners.add(`${s.journey}\u0000${s.owner}`);
  }
  const journeys = config.journeys.filter((j) => owners.has(j.name));
  return {
    from: toInstant(from),
    to: toInstant(to),
    journeys: journeys.map((journey) => {
      const rows = [...(owners.get(journey.name) ?? [])].map((owner): BenchmarkRow => {
        const p = probes.find((s) => s.journey === journey.name && s.owner === owner);
        const s = status.find((x) => x.journey === journey.name && x.owner === owner);
        const hasStatusPage = statusOwners.has(`${journey.name}\u0000${owner}`);
        let customers: BenchmarkRow['customers'] = null;
        if (owner === SELF_OWNER) {
          const counts = registry.outcomes(journey.name, null, Math.floor(from / MINUTE_MS), Math.ceil(to / MINUTE_MS));
          const n = counts.success + counts.failure;
          if (n > 0) customers = { success: counts.success, failure: counts.failure, rate: counts.success / n };
        }
        const runs = p?.runs ?? 0;
        return {
          owner,
          rank: null,
          probes: {
            runs,
            ok: p?.ok ?? 0,
            availability: runs > 0 ? (p?.ok ?? 0) / runs : null,
            interval: wilson(p?.ok ?? 0, runs),
            p50Ms: percentile(p?.latencies ?? [], 0.5),
            p95Ms: percentile(p?.latencies ?? [], 0.95),
          },
          statusPage: hasStatusPage || s ? { downMinutes: s?.down ?? 0, degradedMinutes: s?.degraded ?? 0 } : null,
          customers,
        };
      });
      const ranks = rankOwners(rows.map((r) => ({ owner: r.owner, availability: r.probes.availability, interval: r.probes.interval })));
      const ranked = rows.map((r) => ({ ...r, rank: ranks.get(r.owner) ?? null }));
      ranked.sort(
        (a, b) =>
          Number(b.owner === SELF_OWNER) - Number(a.owner === SELF_OWNER) ||
          (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
          (b.probes.availability ?? -1) - (a.probes.availability ?? -1) ||
          (a.owner < b.owner ? -1 : 1),
      );
      return { journey: journey.name, displayName: journey.displayName, owners: ranked };
    }),
  };
}
