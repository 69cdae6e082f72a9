/** `vigil serve`: the HTTP API (and dashboard) over a configuration and a database. */
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import type { VigilConfig } from '../../model/config.js';
import { closeOnSignals, reloadOnSignal, startServer } from '../serve.js';
import { DEFAULT_CONFIG_PATH, action, loadConfigOrThrow, resolveDatabase } from '../shared.js';
import { DEFAULT_STREAM, shownUrl } from '../../queue/nats-queue.js';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

/** A NATS URL for --queue: nats:// or tls://, several separated by commas (docs/nats.md ("Running it")). */
export function parseQueueUrl(value: string): string {
  for (const part of value.split(',')) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new InvalidArgumentError(`expected a nats:// URL such as nats://127.0.0.1:4222, got ${part}`);
    }
    if (url.protocol !== 'nats:' && url.protocol !== 'tls:')
      throw new InvalidArgumentError(`expected a nats:// or tls:// URL, got ${part}`);
  }
  return value;
}

/** A JetStream stream name: letters, digits, `-` and `_` (NATS forbids `.`, `*`, `>` and spaces in it). */
function parseStreamName(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new InvalidArgumentError('expected 1 to 64 letters, digits, - or _');
  return value;
}

function parseAckWait(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
    throw new InvalidArgumentError('expected a number of seconds from 1 to 3600');
  return seconds;
}

/** An http(s) base URL, without a trailing slash. */
export function parseAdvertiseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}

/** Commander's collector of a repeatable option: every value, in order. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the API and dashboard for a configuration')
    .option('-c, --config <path>', 'vigil.yaml, or a directory of YAML files', DEFAULT_CONFIG_PATH)
    .option('-d, --database <location>', 'SQLite file or postgres:// URL (default: $VIGIL_DATABASE_URL or ./vigil.db)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', parsePort, 8080)
    .option('--allowed-host <name>', 'another Host name to answer to, beside server.allowedHosts (repeatable)', collect)
    .option('--insecure', 'serve a non-loopback address even though no access token exists (docs/access.md)')
    .option('--queue <url>', 'ingest through NATS JetStream at this nats:// URL (docs/nats.md)', parseQueueUrl)
    .option('--queue-stream <name>', 'the JetStream stream to use with --queue', parseStreamName, DEFAULT_STREAM)
    .option('--queue-ack-wait <seconds>', 'seconds before JetStream offers an unacknowledged batch to another node', parseAckWait, 30)
    .option('--advertise-url <url>', 'PostgreSQL: the URL other nodes reach this one at (docs/scale-out.md)', parseAdvertiseUrl)
    .action(
      action(
        async (opts: {
          config: string;
          database?: string;
          host: string;
          port: number;
          allowedHost?: string[];
          insecure?: boolean;
          queue?: string;
          queueStream: string;
          queueAckWait: number;
          advertiseUrl?: string;
        }) => {
          const loaded = await loadConfigOrThrow(opts.config);
          // The flag adds to vigil.yaml's list (docs/configuration.md ("server")), for a name known only where Vigil runs.
          const adjustConfig = (read: VigilConfig): VigilConfig =>
            opts.allowedHost
              ? {
                  ...read,
                  server: {
                    allowedHosts: [...(read.server?.allowedHosts ?? []), ...opts.allowedHost],
                    allowedOrigins: read.server?.allowedOrigins ?? [],
                  },
                }
              : read;
          const config = adjustConfig(loaded);
          const database = resolveDatabase(opts.database);
          const log = {
            info: (m: string) => process.stderr.write(`${pc.dim('info')} ${m}\n`),
            warn: (m: string) => process.stderr.write(`${pc.yellow('warn')} ${m}\n`),
          };
          const server = await startServer({
            config,
            database,
            host: opts.host,
            port: opts.port,
            insecure: opts.insecure === true,
            ...(opts.advertiseUrl ? { advertiseUrl: opts.advertiseUrl } : {}),
            configPath: opts.config,
            adjustConfig,
            log,
            ...(opts.queue ? { queue: { url: opts.queue, stream: opts.queueStream, ackWaitMs: opts.queueAckWait * 1000 } } : {}),
            onRebuild: (done, total, key) => {
              if (key) log.info(`recomputing SLI ${done + 1}/${total} from retained events: ${key}`);
            },
          });
          closeOnSignals(() => server.close());
          reloadOnSignal(server, log);
          const slos = config.journeys.reduce((n, j) => n + j.slos.length, 0);
          process.stdout.write(
            `Vigil listening on ${server.url} (${config.journeys.length} journeys, ${slos} SLOs, store: ${server.runtime.store.backend}` +
              `${opts.queue ? `, queue: ${shownUrl(opts.queue)} stream ${opts.queueStream}` : ''})\n`,
          );
        },
      ),
    );
}
