/** A real `vigil serve` process on a fresh SQLite file, for the benchmarks that measure it over HTTP. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
/** `vigil serve`, the default. */
export const VIGIL_SERVE: readonly string[] = [BIN, 'serve'];
/** The same server with a store that discards appends: the ingest ceiling (src/bench/discarding-serve.ts). */
export const DISCARDING_SERVE: readonly string[] = [fileURLToPath(new URL('./discarding-serve.js', import.meta.url))];

export interface BenchServer {
  dir: string;
  child: ChildProcess;
  url: string;
  /** Stop the server and remove its directory. */
  stop(): Promise<void>;
}

/**
 * Write `config` to a fresh directory and start `vigil serve` (or `command`, which takes the same options) on it, on any
 * free port; resolves once it listens. The database is a SQLite file in that directory unless `database` (a postgres://
 * URL) is given.
 * @example const server = await startBenchServer('vigil-bench-', CONFIG); try { … } finally { await server.stop(); }
 */
export async function startBenchServer(
  prefix: string,
  config: string,
  database?: string,
  extraArgs: readonly string[] = [],
  command: readonly string[] = VIGIL_SERVE,
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'vigil.yaml'), config);
  const child = spawn(
    process.execPath,
    [...command, '--config', join(dir, 'vigil.yaml'), '--database', database ?? join(dir, 'vigil.db'), '--port', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  // The server's warnings and errors reach the bench's stderr; its info lines and shutdown notice would bury the figures.
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '' && !/^(info |SIGTERM)/.test(line)) process.stderr.write(`${line}\n`);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)));
    });
    return { dir, child, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
