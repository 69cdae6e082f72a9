import { describe, expect, it } from 'vitest';
import type { ClusterNode, ClusterResponse } from './api-types.js';
import { ApiError } from './api.js';
import { clusterView, hidesCluster } from './cluster.js';

const node = (name: string, over: Partial<ClusterNode> = {}): ClusterNode => ({
  node: name,
  url: `http://${name.split('/')[0]}:8080`,
  role: 'follower',
  version: '0.1.0',
  config: '3fa2c19e07bd',
  startedAt: '2026-11-28T08:00:00.000Z',
  seenAt: '2026-11-28T10:41:05.000Z',
  live: true,
  self: false,
  ...over,
});
const answer = (nodes: ClusterNode[], differences: string[] = []): ClusterResponse => ({
  mode: 'cluster',
  nodes,
  agree: differences.length === 0,
  differences,
});

describe('clusterView', () => {
  it('shows nothing for a single server', () => {
    const single: ClusterResponse = { mode: 'single', nodes: [node('h/1', { role: 'single', self: true })], agree: true, differences: [] };
    expect(clusterView(single)).toBeNull();
  });

  it('counts live nodes and names the one answering and the leader', () => {
    const view = clusterView(answer([node('a/1', { self: true }), node('b/2', { role: 'leader' }), node('c/3')]));
    expect(view).toMatchObject({ label: '3 nodes', title: 'Answered by a/1; leader b/2', differences: [] });
  });

  it('counts gone nodes apart, and never takes a gone node for the leader', () => {
    const view = clusterView(answer([node('a/1', { self: true }), node('b/2', { role: 'leader', live: false })]));
    expect(view).toMatchObject({ label: '1 node, 1 gone', title: 'Answered by a/1; no live leader' });
  });

  it('passes the differences through verbatim', () => {
    const differences = ['configurations differ: 3fa2c19e07bd on a/1; 9c1d0a44b2e1 on <b>/2'];
    const view = clusterView(answer([node('a/1', { self: true, role: 'leader' }), node('<b>/2', { config: '9c1d0a44b2e1' })], differences));
    expect(view?.differences).toEqual(differences);
  });
});

describe('hidesCluster', () => {
  it('hides on a refused token or a server without the route, keeps the last answer on other failures', () => {
    expect(hidesCluster(new ApiError(401, 'unauthorized', 'no'))).toBe(true);
    expect(hidesCluster(new ApiError(403, 'forbidden', 'no'))).toBe(true);
    expect(hidesCluster(new ApiError(404, 'route_not_found', 'no'))).toBe(true);
    expect(hidesCluster(new ApiError(502, null, 'bad gateway'))).toBe(false);
    expect(hidesCluster(new TypeError('Failed to fetch'))).toBe(false);
    expect(hidesCluster(null)).toBe(false);
  });
});
