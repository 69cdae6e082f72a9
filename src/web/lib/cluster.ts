/**
 * What the dashboard shows of the nodes serving one store (docs/scale-out.md ("The nodes")): nothing for a single
 * server, a count of the live nodes with the one answering and the leader, and the differences while live nodes disagree.
 */
import type { ClusterNode, ClusterResponse } from './api-types.js';
import { ApiError } from './api.js';

export interface ClusterView {
  /** "3 nodes", "2 nodes, 1 gone". */
  label: string;
  /** "Answered by a/1; leader b/2": the indicator's tooltip. */
  title: string;
  /** Live nodes first, as the API orders them. */
  nodes: ClusterNode[];
  /** What differs between live nodes, verbatim from the API; empty when they agree. */
  differences: string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The view of an answer of `GET /api/v1/cluster`; null in single mode, where there is nothing to show.
 * @example clusterView({ mode: 'single', nodes: [...], agree: true, differences: [] }) // null
 */
export function clusterView(answer: ClusterResponse): ClusterView | null {
  if (answer.mode !== 'cluster') return null;
  const live = answer.nodes.filter((n) => n.live);
  const gone = answer.nodes.length - live.length;
  const self = answer.nodes.find((n) => n.self);
  const leader = live.find((n) => n.role === 'leader');
  const label = gone > 0 ? `${plural(live.length, 'node')}, ${gone} gone` : plural(live.length, 'node');
  const title = `${self ? `Answered by ${self.node}` : 'Answered by an unlisted node'}; ${leader ? `leader ${leader.node}` : 'no live leader'}`;
  return { label, title, nodes: answer.nodes, differences: answer.agree ? [] : answer.differences };
}

/**
 * Whether a failed poll should hide what was shown: a token that may not read it (401, 403) or a server without
 * the route (404). Other failures (a network blip) keep the last answer on screen.
 */
export function hidesCluster(error: Error | null): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404 || error.unavailable);
}
