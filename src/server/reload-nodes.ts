/**
 * Reloading every node of a store at once (docs/scale-out.md ("Reloading every node")): the node that took the request
 * has reloaded; each other live node is asked to reload its own file, with the caller's token (the nodes share the
 * store's tokens), all at once. Each answers for itself: a node whose file does not validate keeps its configuration.
 */
import type { ClusterResponse } from '../api/cluster.js';
import type { ReloadResponse } from '../api/admin.js';

export type NodeReload = NonNullable<ReloadResponse['nodes']>[number];

/** A reload recomputes SLIs from raw events: on a long history that takes a while. */
const RELOAD_WAIT_MS = 10 * 60_000;

async function reloadOne(node: { node: string; url: string | null }, authorization: string | undefined): Promise<NodeReload> {
  const failed = (code: string, message: string): NodeReload => ({
    node: node.node,
    url: node.url,
    status: 'failed',
    recomputed: [],
    dropped: [],
    error: { code, message },
  });
  if (node.url === null) return failed('node_unreachable', 'the node has not said where it answers');
  let response: Response;
  try {
    response = await fetch(`${node.url}/api/v1/admin/reload`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: '{}',
      redirect: 'manual',
      signal: AbortSignal.timeout(RELOAD_WAIT_MS),
    });
  } catch (cause) {
    return failed('node_unreachable', `${node.url} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const body = (await response.json().catch(() => null)) as
    | (Partial<ReloadResponse> & { error?: { code?: string; message?: string } })
    | null;
  if (response.ok && body?.status === 'reloaded')
    return {
      node: node.node,
      url: node.url,
      status: 'reloaded',
      recomputed: body.recomputed ?? [],
      dropped: body.dropped ?? [],
      error: null,
    };
  return failed(body?.error?.code ?? 'node_unreachable', body?.error?.message ?? `${node.url} answered ${response.status}`);
}

/**
 * This node's reload first, then every other live node's, in the order the cluster lists them.
 * @example const nodes = await reloadEveryNode(own, api.cluster(), request.headers.authorization);
 */
export async function reloadEveryNode(
  own: ReloadResponse,
  cluster: ClusterResponse,
  authorization: string | undefined,
): Promise<NodeReload[]> {
  const self = cluster.nodes.find((n) => n.self);
  const first: NodeReload = {
    node: self?.node ?? 'this node',
    url: self?.url ?? null,
    status: 'reloaded',
    recomputed: own.recomputed,
    dropped: own.dropped,
    error: null,
  };
  const others = cluster.nodes.filter((n) => n.live && !n.self);
  return [first, ...(await Promise.all(others.map((n) => reloadOne(n, authorization))))];
}
