/** Run a private nats-server with JetStream (Debian's `nats-server`) on a free loopback port, for tests that stop it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './alertmanager.js';

const NATS_SERVER = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((p) => existsSync(p));

/** True where nats-server is installed; under CI a test needing it fails rather than skips. */
export const HAVE_NATS_SERVER = NATS_SERVER !== undefined;

export interface NatsServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start `nats-server -js` keeping its JetStream files in `storeDir`, on `port` (a free one by default), and resolve once
 * it says it is ready. Starting it again on the same port and folder brings back what JetStream had stored.
 * @example const nats = await startNats(dir); … await nats.stop('SIGKILL');
 */
export async function startNats(storeDir: string, port?: number): Promise<NatsServer> {
  if (!NATS_SERVER) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const listen = port ?? (await freePort());
  const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(listen), '-sd', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server not ready within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${child.exitCode}:\n${out}`));
    });
  });
  return {
    url: `nats://127.0.0.1:${listen}`,
    port: listen,
    child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
