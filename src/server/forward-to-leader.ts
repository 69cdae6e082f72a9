/**
 * Leader-only writes on a follower (docs/scale-out.md ("Writes only the leader takes")): alerts in and incident
 * changes are correlated in the leader's memory, so a follower passes them to the leader and returns its answer
 * as it came. With no leader for LEADER_WAIT_MS, or when the leader changed while forwarding, the answer is 503
 * leader_unavailable: the client retries (Alertmanager and Grafana do by themselves).
 */
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../errors/catalogue.js';

/** How long a follower waits for a leader before refusing. */
export const LEADER_WAIT_MS = 10_000;
/** Marks a forwarded request: a node that receives one and does not lead refuses it rather than forward it again. */
export const FORWARDED_HEADER = 'x-vigil-forwarded';

const LEADER_ONLY = /^\/api\/v1\/(alerts(\/|\?|$)|incidents\/)/;
const PASSED_HEADERS = ['authorization', 'content-type', 'accept', 'x-request-id'] as const;

/** What forwarding needs to know about the cluster. */
export interface LeaderForwarding {
  /** True while this node runs the leader-only work. */
  leads(): boolean;
  /** The leader's base URL, or null when none has advertised itself. */
  leaderUrl(): Promise<string | null>;
}

async function waitForLeader(forwarding: LeaderForwarding): Promise<string | null> {
  const until = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const url = await forwarding.leaderUrl().catch(() => null);
    if (url !== null || Date.now() >= until) return url;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Install the forwarding hook (before the routes' own checks: the leader checks the token itself).
 * @example installLeaderForwarding(app, { leads: () => leadership.role() === 'leader', leaderUrl: async () => (await reader.leader())?.url ?? null });
 */
export function installLeaderForwarding(app: FastifyInstance, forwarding: LeaderForwarding): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !LEADER_ONLY.test(request.url)) return;
    if (forwarding.leads()) return;
    if (request.headers[FORWARDED_HEADER] !== undefined) {
      throw new VigilError('leader_unavailable', 'This node no longer leads the cluster; retry the request.');
    }
    const leader = await waitForLeader(forwarding);
    if (leader === null) {
      throw new VigilError('leader_unavailable', `No node has led the cluster for ${LEADER_WAIT_MS / 1000} s; retry the request.`);
    }
    const headers: Record<string, string> = { [FORWARDED_HEADER]: '1' };
    for (const name of PASSED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    let response: Response;
    try {
      response = await fetch(`${leader}${request.url}`, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      throw new VigilError('leader_unavailable', `The leader at ${leader} did not answer; retry the request.`, { cause });
    }
    const text = await response.text();
    reply.code(response.status);
    const type = response.headers.get('content-type');
    if (type) reply.header('content-type', type);
    return reply.send(text);
  });
}
