/** Start the real `vigil demo` (the demo bank) as a child process on a free port, for tests that need its data. */
import { spawn } from 'node:child_process';
import { BIN, ROOT, type VigilProcess } from './vigil-process.js';

/**
 * Run `vigil demo <args> --port 0` and resolve once it prints where it listens (after its backfill).
 * @example const demo = await startDemo(['--no-live', '--days', '3', '--seed', '7', '--database', db]);
 */
export async function startDemo(args: string[], timeoutMs = 60_000): Promise<VigilProcess> {
  const child = spawn(process.execPath, [BIN, 'demo', '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil demo did not start within ${timeoutMs / 1000} s:\n${out}`));
    }, timeoutMs);
    child.stdout!.on('data', () => {
      const match = /Vigil listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`vigil demo exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
