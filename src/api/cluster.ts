/** The nodes serving one store on the wire (docs/scale-out.md ("The nodes"), docs/api.md ("Cluster")). */
import { z } from 'zod';
import { Instant } from './common.js';

export const NodeRoleJson = z.enum(['single', 'leader', 'follower']);

export const ClusterNodeJson = z.strictObject({
  /** `host/pid`. */
  node: z.string(),
  /** Where it answers (its advertised URL); null when the server was built without listening (tests). */
  url: z.string().nullable(),
  role: NodeRoleJson,
  version: z.string(),
  /** The fingerprint of its configuration: equal fingerprints, equal configurations. */
  config: z.string(),
  startedAt: Instant,
  /** When it last said so, by the database's clock. */
  seenAt: Instant,
  /** Heard from within the last 20 s. */
  live: z.boolean(),
  /** The node answering this request. */
  self: z.boolean(),
});
export type ClusterNodeJson = z.infer<typeof ClusterNodeJson>;

/** `GET /api/v1/cluster`. */
export const ClusterResponse = z.strictObject({
  /** `single`: a SQLite file, one server; `cluster`: PostgreSQL, any number of nodes. */
  mode: z.enum(['single', 'cluster']),
  /** Live nodes first (by name), then those not heard from for more than 20 s, until forgotten after a day. */
  nodes: z.array(ClusterNodeJson),
  /** True when every live node runs the same version with the same configuration. */
  agree: z.boolean(),
  /** What differs between live nodes, one sentence each; empty when they agree. */
  differences: z.array(z.string()),
});
export type ClusterResponse = z.infer<typeof ClusterResponse>;
