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

export interface RunningServer {
  app: FastifyInstance;
  runtime: VigilRuntime;
  incidents: IncidentManager;
  url: string;
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
  /** Called after the runtime is up and before the server listens (the demo backfills here). */
  beforeListen?: (runtime: VigilRuntime, incidents: IncidentManager) => Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const store = await openStore(options.database);
  const runtime = await VigilRuntime.start({
    config: options.config,
    store,
    log: options.log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onRebuild ? { onRebuild: options.onRebuild } : {}),
  });
  const incidents = await IncidentManager.start(runtime, options.log);
  await options.beforeListen?.(runtime, incidents);
  runtime.startRetention();
  incidents.startTicking();
  const outbox = new OutboxWorker({ store: store.alerting, targets: notificationsOf(options.config).targets, log: options.log });
  outbox.start();
  const app = await buildServer({
    api: vigilApi(runtime, incidents),
    // Warnings and errors by default, as JSON lines on stderr (stdout is for what the command prints).
    logger: { level: process.env.VIGIL_LOG_LEVEL || 'warn', stream: process.stderr },
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (cause) {
    await outbox.stop();
    await incidents.stop();
    await runtime.close();
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
  let closed = false;
  return {
    app,
    runtime,
    incidents,
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await outbox.stop();
      await incidents.stop();
      await runtime.close();
    },
  };
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
