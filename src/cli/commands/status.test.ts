/** The SOURCE cell of `vigil status` for SLOs read from Prometheus (docs/cli.md ("vigil status")). */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SOURCE_STATES } from '../../app/prometheus-sources.js';
import { type StatusSource, sourceCell } from './status.js';

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
