/** The nodes answer (docs/api.md ("Cluster")) and the configuration fingerprint (docs/scale-out.md ("The nodes")). */
import { describe, expect, it } from 'vitest';
import type { CorrectionSpec, VigilConfig } from '../../model/config.js';
import type { NodeRow } from '../../store/cluster/postgres-cluster.js';
import { configFingerprint } from '../cluster/config-fingerprint.js';
import { clusterAnswer, NODE_LIVE_MS } from './cluster-view.js';

const T = Date.parse('2026-11-28T10:00:00Z');
const row = (node: string, extra: Partial<NodeRow> = {}): NodeRow => ({
  node,
  url: `http://${node.split('/')[0]}:8080`,
  version: '0.1.0',
  config: 'aaaaaaaaaaaa',
  role: 'follower',
  startedAt: T - 3_600_000,
  seenAt: T,
  ageMs: 1_000,
  ...extra,
});

describe('clusterAnswer', () => {
  it.each([
    { name: 'all alike', rows: [row('a/1', { role: 'leader' }), row('b/2')], agree: true, differences: [] },
    {
      name: 'one configuration differs (most common first)',
      rows: [row('a/1'), row('b/2', { config: 'bbbbbbbbbbbb' }), row('c/3')],
      agree: false,
      differences: ['configurations differ: aaaaaaaaaaaa on a/1, c/3; bbbbbbbbbbbb on b/2'],
    },
    {
      name: 'versions and configurations differ',
      rows: [row('a/1', { version: '0.2.0', config: 'cccccccccccc' }), row('b/2')],
      agree: false,
      differences: ['versions differ: 0.1.0 on b/2; 0.2.0 on a/1', 'configurations differ: aaaaaaaaaaaa on b/2; cccccccccccc on a/1'],
    },
    {
      name: 'a node gone does not count against agreement',
      rows: [row('a/1'), row('b/2', { config: 'bbbbbbbbbbbb', ageMs: NODE_LIVE_MS + 1 })],
      agree: true,
      differences: [],
    },
    {
      name: 'a node heard from exactly 20 s ago is still live',
      rows: [row('a/1'), row('b/2', { config: 'bbbbbbbbbbbb', ageMs: NODE_LIVE_MS })],
      agree: false,
      differences: ['configurations differ: aaaaaaaaaaaa on a/1; bbbbbbbbbbbb on b/2'],
    },
  ])('$name', ({ rows, agree, differences }) => {
    const answer = clusterAnswer({ mode: 'cluster', self: 'a/1', rows });
    expect(answer.agree).toBe(agree);
    expect(answer.differences).toEqual(differences);
    expect(answer.nodes.filter((n) => n.self).map((n) => n.node)).toEqual(['a/1']);
  });

  it('lists live nodes first, each group by name, with instants', () => {
    const answer = clusterAnswer({
      mode: 'cluster',
      self: 'b/2',
      rows: [row('c/3', { ageMs: 60_000, seenAt: T - 60_000 }), row('b/2'), row('a/1', { role: 'leader' })],
    });
    expect(answer.nodes.map((n) => `${n.node} ${n.live ? 'live' : 'gone'} ${n.role}`)).toEqual([
      'a/1 live leader',
      'b/2 live follower',
      'c/3 gone follower',
    ]);
    expect(answer.nodes[2]!.seenAt).toBe('2026-11-28T09:59:00.000Z');
  });

  it('a single server is its own one node', () => {
    const self = { node: 'h/9', url: 'http://127.0.0.1:8080', version: '0.1.0', config: 'dddddddddddd', startedAt: T - 5_000 };
    expect(clusterAnswer({ mode: 'single', self, now: T })).toEqual({
      mode: 'single',
      nodes: [
        { ...self, role: 'single', startedAt: '2026-11-28T09:59:55.000Z', seenAt: '2026-11-28T10:00:00.000Z', live: true, self: true },
      ],
      agree: true,
      differences: [],
    });
  });
});

describe('configFingerprint', () => {
  const config: VigilConfig = {
    version: 'vigil/v1',
    defaults: { timezone: 'UTC' },
    tiers: {},
    services: [],
    journeys: [{ name: 'pay', displayName: 'Pay', tier: 'core', steps: [{ name: 'send', services: [], critical: true }], slos: [] }],
    alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
    retention: { rawEventsDays: 35 },
    ingest: { maxBodyBytes: 1_000_000 },
  };
  const once = (name: string, source: CorrectionSpec['source']): CorrectionSpec => ({
    name,
    journeys: ['pay'],
    source,
    kind: 'once',
    from: T,
    to: T + 60_000,
  });

  it('is 12 hex digits, the same for the same configuration and another for another', () => {
    expect(configFingerprint(config)).toMatch(/^[0-9a-f]{12}$/);
    expect(configFingerprint(structuredClone(config))).toBe(configFingerprint(config));
    expect(configFingerprint({ ...config, retention: { rawEventsDays: 36 } })).not.toBe(configFingerprint(config));
    expect(configFingerprint({ ...config, corrections: [once('yaml', 'config')] })).not.toBe(configFingerprint(config));
  });

  it('leaves out corrections added through the API: every node takes those from the store', () => {
    expect(configFingerprint({ ...config, corrections: [once('api-1', 'api')] })).toBe(configFingerprint(config));
    const withYaml = { ...config, corrections: [once('yaml', 'config')] };
    expect(configFingerprint({ ...config, corrections: [once('yaml', 'config'), once('api-1', 'api')] })).toBe(configFingerprint(withYaml));
  });
});
