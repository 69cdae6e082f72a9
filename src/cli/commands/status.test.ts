/** The SOURCE cell of `vigil status` for SLOs read from Prometheus (docs/cli.md ("vigil status")). */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SOURCE_STATES } from '../../app/prometheus-sources.js';
import type { ClusterNodeJson, ClusterResponse } from '../../api/cluster.js';
import { renderClusterLine, type StatusSource, sourceCell } from './status.js';

const PROMETHEUS_URL = 'http://prometheus.example:9090';
const source = (over: Partial<StatusSource>): StatusSource => ({
  kind: 'prometheus',
  key: 'login|prometheus:abc',
  state: 'following',
  since: '2026-11-28T03:00:00.000Z',
  message: null,
  progress: null,
  watermark: '2026-11-28T02:58:00.000Z',
  lastDataAt: '2026-11-28T02:59:00.000Z',
  ...over,
});
const plain = (s: StatusSource | undefined) => stripVTControlCharacters(sourceCell(s, PROMETHEUS_URL));

describe('sourceCell', () => {
  it('gives every reading state its own words, and only following the ✓ of a good state', () => {
    const cells = SOURCE_STATES.map((state) => plain(source({ state })));
    expect(new Set(cells).size).toBe(SOURCE_STATES.length);
    expect(cells.filter((c) => c.startsWith('✓'))).toEqual(['✓ following']);
    expect(plain(undefined)).toBe('events');
  });

  it('names why Prometheus failed, without the URL, cut to stay readable', () => {
    const refused = `${PROMETHEUS_URL}: fetch failed: connect ECONNREFUSED 10.0.0.7:9090`;
    expect(plain(source({ state: 'prometheus_unreachable', message: refused }))).toBe(
      '✗ unreachable: fetch failed: connect ECONNREFUSED 10.0.0.7:9090',
    );
    const parse = `bad_data: 1:20: parse error: unexpected end of input, expected one of "}" or a label name ${'x'.repeat(80)}`;
    const error = plain(source({ state: 'prometheus_error', message: parse }));
    expect(error.startsWith('✗ query error: bad_data: 1:20: parse error')).toBe(true);
    expect(error.endsWith('…')).toBe(true);
    expect(error.length).toBe('✗ query error: '.length + 60);
  });

  it('shows a backfill’s progress, and from a database no state but how far the store holds it', () => {
    const progress = { from: '2026-11-27T03:00:00.000Z', to: '2026-11-28T03:00:00.000Z', readTo: '2026-11-27T15:00:00.000Z', percent: 50 };
    expect(plain(source({ state: 'backfilling', progress }))).toBe('↻ backfilling 50%');
    expect(plain(source({ state: null }))).toBe('read to 2026-11-28 02:58Z');
    expect(plain(source({ state: null, watermark: null, lastDataAt: null }))).toBe('never read');
  });
});

describe('renderClusterLine', () => {
  const node = (name: string, over: Partial<ClusterNodeJson> = {}): ClusterNodeJson => ({
    node: name,
    url: `http://${name}:8080`,
    role: 'follower',
    version: '0.1.0',
    config: 'aaaaaaaaaaaa',
    startedAt: '2026-11-28T03:00:00.000Z',
    seenAt: '2026-11-28T03:10:00.000Z',
    live: true,
    self: false,
    ...over,
  });
  const line = (c: ClusterResponse) => {
    const text = renderClusterLine(c);
    return text === null ? null : stripVTControlCharacters(text);
  };

  it.each([
    {
      name: 'a single server has no line',
      answer: { mode: 'single', nodes: [node('h/1', { role: 'single' })], agree: true, differences: [] },
      want: null,
    },
    {
      name: 'nodes that agree',
      answer: { mode: 'cluster', nodes: [node('a/1', { role: 'leader' }), node('b/2')], agree: true, differences: [] },
      want: '2 nodes live, leader a/1; same version and configuration',
    },
    {
      name: 'nodes that differ, one gone, none leading',
      answer: {
        mode: 'cluster',
        nodes: [node('a/1'), node('c/3', { live: false })],
        agree: false,
        differences: ['configurations differ: aaaaaaaaaaaa on a/1; bbbbbbbbbbbb on b/2'],
      },
      want: '1 node live (1 gone), no leader; configurations differ: aaaaaaaaaaaa on a/1; bbbbbbbbbbbb on b/2',
    },
  ] as { name: string; answer: ClusterResponse; want: string | null }[])('$name', ({ answer, want }) => {
    expect(line(answer)).toBe(want);
  });
});
