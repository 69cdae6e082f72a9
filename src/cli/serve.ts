/** Starting a server: open the store, start the runtime (reconciling history), listen. Shared by `serve` and `demo`. */
import { vigilApi } from '../app/api.js';
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';
import { notificationsOf } from '../notify/routing.js';
import { OutboxWorker } from '../notify/outbox-worker.js';
import { IncidentManager } from '../app/incident-manager.js';
import { type RuntimeLog, VigilRuntime } from '../app/runtime.js';
import { buildServer } from '../server/app.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ReloadResponse } from '../api/admin.js';
import { toInstant } from '../api/common.js';
import { formatProblem, loadConfig } from '../config/load.js';
import { ProbeScheduler, StatusPagePoller } from '../app/benchmark-work.js';
import { type Leadership, type LeaderWork, SingleNodeLeadership } from '../app/leader-work.js';
import { ToleranceWatch } from '../app/tolerance-watch.js';
import { NatsQueue } from '../queue/nats-queue.js';
import { RetentionWork } from '../app/retention-work.js';
import { ClusterNode, alertingWork } from '../app/cluster/cluster-node.js';
import { VERSION } from '../app/api.js';

export interface RunningServer {
  app: FastifyInstance;
  runtime: VigilRuntime;
  incidents: IncidentManager;
  url: string;
  /** Re-read the configuration and switch to it (docs/cli.md ("Signals")); rejects with config_invalid, keeping the old one. */
  reload(): Promise<ReloadResponse>;
  close(): Promise<void>;
}

export interface StartServerOptions {
  config: VigilConfig;
  database: string;
  host: string;
  port: number;
  log: RuntimeLog;
  clock?: () => number;
  onRebuild?: (done: number, total: number, key: string) => void;
  /** Serve without tokens on an address other than loopback (docs/access.md ("Without tokens")). */
  insecure?: boolean;
  /** Where the configuration was read from: `reload()` reads it again. Without it, reloading answers reload_unavailable. */
  configPath?: string;
  /** Applied to every configuration read from configPath (the command line's additions, such as --allowed-host). */
  adjustConfig?: (config: VigilConfig) => VigilConfig;
  /** PostgreSQL only: the URL other nodes reach this one at (docs/scale-out.md); default: the address it listens on. */
  advertiseUrl?: string;
  /** Called after the runtime is up and before the server listens (the demo backfills here). */
  beforeListen?: (runtime: VigilRuntime, incidents: IncidentManager) => Promise<void>;
  /** Ingest through NATS JetStream (docs/nats.md): the URL, and the stream name and acknowledgement wait when not the defaults. */
  queue?: { url: string; stream?: string; ackWaitMs?: number };
  /**
   * Opens the store at `database` in place of openStore: for the bench's ceiling (src/bench/discarding-serve.ts), which
   * serves a store that discards appends. No command sets it.
   */
  openStore?: (database: string) => Promise<Store>;
}

/**
 * True for loopback addresses: 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and localhost.
 * @example isLoopback('127.0.0.1') // true; isLoopback('0.0.0.0') // false
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  // The URL parser writes an IPv6 address in its one short form: [::1], and ::ffff:127.x.y.z as [::ffff:7fxx:yyzz].
  const canonical = new URL(`http://[${bare}]/`).hostname;
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}

/** Refuses (insecure_bind) to serve an address other than loopback while no token exists, unless insecure. */
async function checkExposure(store: Store, options: StartServerOptions): Promise<{ openWhenNoTokens: boolean }> {
  const loopback = isLoopback(options.host);
  const active = (await store.tokens.listTokens()).filter((t) => t.revokedAt === null).length;
  if (active === 0 && !loopback && !options.insecure) {
    throw new VigilError(
      'insecure_bind',
      `No access token exists in ${store.where}, and ${options.host} is not a loopback address: anyone reaching the port could write. ` +
        `Create a token first (vigil token create --name <name> --scope <scope> --database ${store.where}), ` +
        'or pass --insecure to serve without tokens.',
    );
  }
  if (active === 0 && !loopback)
    options.log.warn(`--insecure: serving ${options.host} without access tokens; anyone reaching it can write`);
  return { openWhenNoTokens: loopback || options.insecure === true };
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const store = await (options.openStore ?? openStore)(options.database);
  let access: { openWhenNoTokens: boolean };
  let queue: NatsQueue | undefined;
  // A SQLite file has one server (docs/scale-out.md): a second one is refused with store_in_use.
  let serveLock: { release(): void } | undefined;
  try {
    if (store.backend === 'sqlite' && store.where !== ':memory:')
      serveLock = (await import('../store/sqlite/serve-lock.js')).takeServeLock(store.where);
    access = await checkExposure(store, options);
    // Before the runtime: a NATS that cannot be reached stops the start with queue_unavailable (docs/nats.md ("Failure modes")).
    if (options.queue) queue = await NatsQueue.open({ ...options.queue, log: options.log });
  } catch (error) {
    serveLock?.release();
    await store.close();
    throw error;
  }
  // On PostgreSQL, any number of nodes may share the schema (docs/scale-out.md); a SQLite file has one.
  const cluster = store.backend === 'postgres' ? await ClusterNode.before({ url: options.database }, options.log) : undefined;
  const runtime = await VigilRuntime.start({
    config: options.config,
    store,
    log: options.log,
    ...(queue ? { ingestWriter: queue } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onRebuild ? { onRebuild: options.onRebuild } : {}),
  });
  cluster?.attach(runtime);
  // Prometheus SLIs: the leader reads them; every other node sets what it stored (docs/scale-out.md ("Same figures on every node")).
  if (cluster) runtime.prometheus.startFollowing();
  const incidents = await IncidentManager.start(runtime, options.log);
  // A correction added through one node's API is put in force on every node (docs/scale-out.md ("Corrections on every node")).
  cluster?.followCorrections(runtime, incidents);
  await options.beforeListen?.(runtime, incidents);
  // Every node consumes the stream into the one append path (docs/nats.md ("Exactly once")).
  queue?.startConsuming(runtime.append);
  runtime.startTrimming();
  const outbox = new OutboxWorker({ store: store.alerting, targets: notificationsOf(options.config).targets, log: options.log });
  if (!cluster) for (const work of alertingWork(incidents, outbox)) work.start();
  // Work exactly one node runs (docs/benchmark.md ("One node runs the probes")): with several nodes, the leader's.
  let leadership: Leadership = new SingleNodeLeadership();
  const singletonWork = (): LeaderWork[] => [
    ...(cluster ? alertingWork(incidents, outbox) : []),
    // SLIs of kind prometheus: one node reads them (docs/prometheus.md ("Prometheus as an SLI source")).
    runtime.prometheus,
    new ProbeScheduler({ probes: () => runtime.config.benchmarks?.probes ?? [], store: store.benchmarks, log: options.log }),
    new StatusPagePoller({ pages: () => runtime.config.benchmarks?.statusPages ?? [], store: store.benchmarks, log: options.log }),
    // Impact tolerances run after each alerting tick (docs/impact-tolerances.md ("How it runs")).
    new ToleranceWatch({
      config: () => runtime.config,
      registry: () => runtime.registry,
      alerting: store.alerting,
      disruptions: store.disruptions,
      notes: incidents,
      log: options.log,
    }),
    // Purging old data (docs/storage.md ("Purging old data")): one node deletes, in small transactions.
    new RetentionWork({ purge: (signal) => runtime.purgeExpired(signal), log: options.log }),
  ];
  const restartSingletonWork = async () => {
    await leadership.stop();
    leadership.start(singletonWork());
  };
  const reload = reloader(options, runtime, incidents, outbox, restartSingletonWork);
  const api = vigilApi(runtime, incidents, access, options.configPath !== undefined ? reload : undefined, queue);
  if (cluster) {
    const ready = api.ready;
    api.ready = async () => ({ ...(await ready()), role: cluster.role() });
  }
  const app = await buildServer({
    api,
    ...(cluster ? { forward: cluster.forwarding() } : {}),
    // Warnings and errors by default, as JSON lines on stderr (stdout is for what the command prints).
    logger: { level: process.env.VIGIL_LOG_LEVEL || 'warn', stream: process.stderr },
    guard: { listenHost: options.host, ...options.config.server },
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (cause) {
    await queue?.close();
    await leadership.stop();
    await outbox.stop();
    await incidents.stop();
    await cluster?.close();
    await runtime.close();
    serveLock?.release();
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      throw new VigilError(
        'address_in_use',
        `Cannot listen on ${options.host}:${options.port} (${code}): choose another --port or --host`,
        { cause },
      );
    }
    throw cause;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  if (cluster) {
    leadership = cluster.lead(options.advertiseUrl ?? url, incidents);
    // The nodes say who they are, and this one answers with what they said (docs/scale-out.md ("The nodes")).
    cluster.startBeating(runtime, options.advertiseUrl ?? url, VERSION);
    api.cluster = () => cluster.view();
  } else {
    const single = api.cluster;
    api.cluster = () => {
      const answer = single();
      return { ...answer, nodes: answer.nodes.map((n) => ({ ...n, url })) };
    };
  }
  // Started once listening, so a probe of this very server (as the demo's) finds it answering.
  leadership.start(singletonWork());
  let closed = false;
  return {
    app,
    runtime,
    incidents,
    url,
    reload,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      // No ingest answers any more; the batch being stored is finished and acknowledged before the store closes.
      await queue?.close();
      await leadership.stop();
      await runtime.prometheus.stopFollowing();
      await outbox.stop();
      await incidents.stop();
      await cluster?.close();
      await runtime.close();
      serveLock?.release();
    },
  };
}

/**
 * The reload use case: validate the file first (config_invalid with its problems, nothing changed), then
 * switch the runtime, the incident manager and the outbox targets while no alerting change is in progress.
 * Reloads run one at a time.
 */
function reloader(
  options: StartServerOptions,
  runtime: VigilRuntime,
  incidents: IncidentManager,
  outbox: OutboxWorker,
  restartSingletonWork: () => Promise<void>,
) {
  let queue: Promise<unknown> = Promise.resolve();
  const once = async (): Promise<ReloadResponse> => {
    const path = options.configPath;
    if (path === undefined) throw new VigilError('reload_unavailable');
    if (!existsSync(path)) throw new VigilError('config_not_found', `No configuration at ${path}; the configuration in force is unchanged`);
    const loaded = await loadConfig(path);
    if (!loaded.ok) {
      const problems = loaded.errors.map(formatProblem);
      throw new VigilError(
        'config_invalid',
        `${path} does not validate; the configuration in force is unchanged:\n${problems.map((p) => `  ${p}`).join('\n')}`,
        { details: { problems } },
      );
    }
    const config = options.adjustConfig ? options.adjustConfig(loaded.config) : loaded.config;
    let changed = { recomputed: [] as string[], dropped: [] as string[] };
    await incidents.reconfigure(async () => {
      changed = await runtime.reconfigure(config, () => outbox.setTargets(notificationsOf(config).targets));
    });
    // The probes and status pages of the new configuration replace the old ones.
    await restartSingletonWork();
    const slos = runtime.registry.allSlos().length;
    options.log.info(
      `reloaded ${path}: ${config.journeys.length} journeys, ${slos} SLOs; ` +
        `${changed.recomputed.length} SLIs recomputed, ${changed.dropped.length} dropped`,
    );
    return {
      status: 'reloaded',
      at: toInstant(runtime.clock()),
      journeys: config.journeys.length,
      slos,
      ...changed,
      targets: notificationsOf(config).targets.map((t) => t.name),
    };
  };
  return (): Promise<ReloadResponse> => {
    const next = queue.then(once, once);
    queue = next.catch(() => {});
    return next;
  };
}

/**
 * Reload on SIGHUP (docs/cli.md ("Signals")): a refused configuration is logged as a warning and the old one stays.
 * @example reloadOnSignal(server, log)
 */
export function reloadOnSignal(server: Pick<RunningServer, 'reload'>, log: RuntimeLog): void {
  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading the configuration');
    server.reload().catch((error: unknown) => log.warn(`reload refused: ${error instanceof Error ? error.message : String(error)}`));
  });
}

/** Close cleanly on SIGINT/SIGTERM (a second signal exits at once). */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(130);
    closing = true;
    process.stderr.write(`\n${signal}: shutting down…\n`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while shutting down: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
