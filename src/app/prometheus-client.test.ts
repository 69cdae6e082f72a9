/** How a Prometheus answer is classified (docs/prometheus.md ("States")): data, prometheus_error or prometheus_unreachable. */
import { describe, expect, it } from 'vitest';
import { PrometheusClient } from './prometheus-client.js';

const spec = { url: 'http://prometheus.test:9090', timeoutMs: 1_000, settleMinutes: 2 };
const answering = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })) as typeof fetch;

describe('PrometheusClient.queryRange', () => {
  it.each([
    {
      name: 'a matrix is data',
      status: 200,
      body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[6000, '3']] }] } },
      want: { ok: true },
    },
    {
      name: 'another result type is a prometheus_error naming it',
      status: 200,
      body: { status: 'success', data: { resultType: 'vector', result: [] } },
      want: { ok: false, state: 'prometheus_error', message: 'http://prometheus.test:9090: expected a matrix answer, got vector' },
    },
    {
      name: "Prometheus' own refusal keeps its type and text",
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'parse error' },
      want: { ok: false, state: 'prometheus_error', message: 'bad_data: parse error' },
    },
    {
      name: "a proxy's error page is unreachable",
      status: 502,
      body: '<html>bad gateway</html>',
      want: { ok: false, state: 'prometheus_unreachable' },
    },
  ])('$name', async ({ status, body, want }) => {
    const client = new PrometheusClient(spec, {}, answering(status, body));
    expect(await client.queryRange('sum(increase(x_total[1m]))', 100, 160)).toMatchObject(want);
  });
});
