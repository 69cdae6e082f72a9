/** Run a real Prometheus server (Debian's `prometheus`) on a free loopback port with a temporary storage folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DaemonProcess, freePort, startReadyDaemon } from './alertmanager.js';
import { PROMETHEUS } from './rule-files.js';

export type PrometheusProcess = DaemonProcess;

/**
 * Start Prometheus with `config` (YAML text) written into `dir`, and resolve once it is ready.
 * @example const prom = await startPrometheus(dir, 'global: { scrape_interval: 1s }\n');
 */
export async function startPrometheus(dir: string, config: string): Promise<PrometheusProcess> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const storage = join(dir, 'data');
  mkdirSync(storage, { recursive: true });
  const port = await freePort();
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${storage}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
  ];
  return startReadyDaemon('prometheus', PROMETHEUS, args, port, 60_000);
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** An instant query through Prometheus's HTTP API; each sample's value read as a number. */
export async function promQuery(url: string, query: string): Promise<PromSample[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${JSON.stringify(body)}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
