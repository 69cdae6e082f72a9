/** Run a real Prometheus Alertmanager (Debian's prometheus-alertmanager) on loopback for end-to-end tests. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Where Debian installs it, then the upstream name; ALERTMANAGER_BIN overrides both. */
const CANDIDATES = ['/usr/bin/prometheus-alertmanager', '/usr/local/bin/alertmanager', '/usr/bin/alertmanager'];

/** The Alertmanager binary, or null when none is installed. */
export function findAlertmanager(): string | null {
  const fromEnv = process.env.ALERTMANAGER_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** "0.25.0", from `--version`. */
export function alertmanagerVersion(bin: string): string {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return /version (\S+)/.exec(out)?.[1] ?? out.split('\n')[0] ?? 'unknown';
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * alertmanager.yml with one webhook receiver (Vigil), resolved notifications on, and one-second
 * grouping so a test sees notifications within seconds.
 */
export function alertmanagerConfig(webhookUrl: string, credentialsFile?: string): string {
  // Alertmanager's own authorization settings carry Vigil's access token (docs/access.md ("Examples")).
  const auth = credentialsFile
    ? `        http_config:
          authorization:
            type: Bearer
            credentials_file: ${credentialsFile}
`
    : '';
  return `global:
  resolve_timeout: 5m
route:
  receiver: vigil
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: vigil
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
${auth}`;
}

/** A daemon started by `startReadyDaemon`: its loopback URL, the process, everything it printed, and a clean stop. */
export interface DaemonProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export type AlertmanagerProcess = DaemonProcess;

/**
 * Spawn a Prometheus-family daemon (`bin` with `args`) listening on `port`, and resolve once its `/-/ready` answers;
 * throws with its output when it exits or is not ready within `readyWithinMs`.
 * @example const prom = await startReadyDaemon('prometheus', PROMETHEUS, [`--web.listen-address=127.0.0.1:${port}`], port, 60_000);
 */
export async function startReadyDaemon(
  name: string,
  bin: string,
  args: string[],
  port: number,
  readyWithinMs: number,
): Promise<DaemonProcess> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const append = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready within ${readyWithinMs / 1000} s:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Start Alertmanager with its own storage, on a free loopback port, without clustering; resolves once /-/ready answers. */
export async function startAlertmanager(
  bin: string,
  dir: string,
  webhookUrl: string,
  options: { credentialsFile?: string } = {},
): Promise<AlertmanagerProcess> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, alertmanagerConfig(webhookUrl, options.credentialsFile));
  const storage = join(dir, 'alertmanager-data');
  mkdirSync(storage, { recursive: true });
  const port = await freePort();
  const args = [
    `--config.file=${configFile}`,
    `--storage.path=${storage}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=debug',
  ];
  return startReadyDaemon('alertmanager', bin, args, port, 20_000);
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** POST /api/v2/alerts: what Prometheus does on each evaluation. */
export async function postAlerts(alertmanagerUrl: string, alerts: PostableAlert[]): Promise<void> {
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (!response.ok) throw new Error(`alertmanager refused the alerts: ${response.status} ${await response.text()}`);
}

/** The alerts Alertmanager holds, with the fingerprints it computed. */
export async function alertmanagerAlerts(
  alertmanagerUrl: string,
): Promise<{ fingerprint: string; labels: Record<string, string>; status: { state: string } }[]> {
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`);
  return (await response.json()) as { fingerprint: string; labels: Record<string, string>; status: { state: string } }[];
}

/** Poll `check` until it returns a value (not undefined) or the time runs out; the error names what was awaited. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
