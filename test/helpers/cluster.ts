/** Reading `GET /api/v1/cluster` of a real server until it says what a test waits for (docs/scale-out.md ("The nodes")). */
import type { ClusterResponse } from '../../src/api/cluster.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A PostgreSQL URL whose sessions use `schema`. */
export function schemaUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
}

export async function clusterOf(server: { url: string }): Promise<ClusterResponse> {
  return (await (await fetch(`${server.url}/api/v1/cluster`)).json()) as ClusterResponse;
}

/** Polls the node's answer until `holds`, for up to 30 s (nodes beat every 5 s; CI is busy), and returns it. */
export async function untilCluster(
  server: { url: string },
  what: string,
  holds: (c: ClusterResponse) => boolean,
): Promise<ClusterResponse> {
  const end = Date.now() + 30_000;
  for (;;) {
    const answer = await clusterOf(server);
    if (holds(answer)) return answer;
    if (Date.now() > end) throw new Error(`${what}: not within 30 s; last answer ${JSON.stringify(answer)}`);
    await sleep(200);
  }
}
