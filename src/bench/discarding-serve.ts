/**
 * The ingest bench's ceiling server (docs/capacity.md ("The ceiling and the floor")): started as `vigil serve` starts
 * (startServer, the real runtime, HTTP server and SQLite store), except that the store discards event appends. Run by
 * src/bench/serve-process.ts as its own process; takes `--config`, `--database` and `--port` as `vigil serve` does.
 */
import { parseArgs } from 'node:util';
import { closeOnSignals, startServer } from '../cli/serve.js';
import { loadConfigOrThrow } from '../cli/shared.js';
import { openStore } from '../store/open.js';
import { discardingAppends } from './discarding-store.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, database: { type: 'string' }, port: { type: 'string', default: '0' } },
  });
  if (values.config === undefined || values.database === undefined)
    throw new Error('usage: discarding-serve --config FILE --database FILE');
  const config = await loadConfigOrThrow(values.config);
  const log = {
    info: (m: string) => process.stderr.write(`info ${m}\n`),
    warn: (m: string) => process.stderr.write(`warn ${m}\n`),
  };
  const server = await startServer({
    config,
    database: values.database,
    host: '127.0.0.1',
    port: Number(values.port),
    configPath: values.config,
    log,
    openStore: async (database) => discardingAppends(await openStore(database)),
  });
  closeOnSignals(() => server.close());
  process.stdout.write(`Vigil (appends discarded) listening on ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
