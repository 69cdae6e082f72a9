/** `GET /api/v1/cluster` (docs/api.md ("Cluster")): the nodes serving one store, and whether they agree. */
import type { ClusterNodeJson, ClusterResponse } from '../../api/cluster.js';
import { toInstant } from '../../api/common.js';
import type { NodeRow } from '../../store/cluster/postgres-cluster.js';

/** A node not heard from for longer than this is no longer live (it beats every 5 s; docs/scale-out.md ("The nodes")). */
export const NODE_LIVE_MS = 20_000;

/** The one node of a SQLite file, or of a PostgreSQL store before its first beat. */
export interface SelfNode {
  node: string;
  url: string | null;
  version: string;
  config: string;
  startedAt: number;
}

/** "a on x, y; b on z": each value with the nodes that have it, most nodes first. */
function spread(nodes: readonly ClusterNodeJson[], value: (n: ClusterNodeJson) => string): string | null {
  const by = new Map<string, string[]>();
  for (const n of nodes) by.set(value(n), [...(by.get(value(n)) ?? []), n.node]);
  if (by.size < 2) return null;
  return [...by.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([v, names]) => `${v} on ${names.join(', ')}`)
    .join('; ');
}

/**
 * The answer for a single server (SQLite) or for the nodes read from the store (PostgreSQL), this one marked `self`.
 * @example clusterAnswer({ mode: 'single', self, now: Date.now() }).agree === true
 */
export function clusterAnswer(
  input: { mode: 'single'; self: SelfNode; now: number } | { mode: 'cluster'; self: string; rows: readonly NodeRow[] },
): ClusterResponse {
  const nodes: ClusterNodeJson[] =
    input.mode === 'single'
      ? [
          {
            ...input.self,
            role: 'single',
            startedAt: toInstant(input.self.startedAt),
            seenAt: toInstant(input.now),
            live: true,
            self: true,
          },
        ]
      : input.rows.map((r) => ({
          node: r.node,
          url: r.url,
          role: r.role,
          version: r.version,
          config: r.config,
          startedAt: toInstant(r.startedAt),
          seenAt: toInstant(r.seenAt),
          live: r.ageMs <= NODE_LIVE_MS,
          self: r.node === input.self,
        }));
  nodes.sort((a, b) => Number(b.live) - Number(a.live) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const live = nodes.filter((n) => n.live);
  const differences: string[] = [];
  const versions = spread(live, (n) => n.version);
  if (versions) differences.push(`versions differ: ${versions}`);
  const configs = spread(live, (n) => n.config);
  if (configs) differences.push(`configurations differ: ${configs}`);
  return { mode: input.mode, nodes, agree: differences.length === 0, differences };
}
