/** What the CLI commands share: loading the configuration, choosing the database, reporting errors. */
import { existsSync } from 'node:fs';
import pc from 'picocolors';
import { formatProblem, loadConfig } from '../config/load.js';
import { VigilError } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';

export const DEFAULT_CONFIG_PATH = 'vigil.yaml';
export const DEFAULT_DATABASE = 'vigil.db';

/** The database to use: the flag, else VIGIL_DATABASE_URL, else ./vigil.db. */
export function resolveDatabase(flag: string | undefined): string {
  return flag ?? process.env.VIGIL_DATABASE_URL ?? DEFAULT_DATABASE;
}

/** Where the CLI finds a server when `--server` is not given (docs/cli.md). */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** The server a command reads: `--server`, else `VIGIL_SERVER`, else `VIGIL_URL` (the older name), else the local default (docs/cli.md). */
export function serverUrl(flag: string | undefined): string {
  return flag ?? process.env.VIGIL_SERVER ?? process.env.VIGIL_URL ?? DEFAULT_SERVER;
}

/** `--server` as every command that reads a server declares it. */
export const SERVER_OPTION: [string, string] = [
  '-s, --server <url>',
  `a running Vigil server (default: $VIGIL_SERVER or ${DEFAULT_SERVER})`,
];

/** The Authorization header for a server, from --token, else VIGIL_TOKEN; none when neither is set (docs/access.md). */
export function authorization(flag: string | undefined): Record<string, string> {
  const token = flag ?? process.env.VIGIL_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The option every command that talks to a server takes (docs/cli.md). */
export const TOKEN_OPTION: [string, string] = [
  '--token <token>',
  'access token for the server (default: $VIGIL_TOKEN; prefer the variable)',
];

/** Load and validate a configuration, or throw a coded error whose message lists every problem. */
export async function loadConfigOrThrow(path: string): Promise<VigilConfig> {
  if (!existsSync(path)) throw new VigilError('config_not_found', `No configuration at ${path} (give one with --config FILE|DIR)`);
  const result = await loadConfig(path);
  if (!result.ok) {
    throw new VigilError('config_invalid', `${path} does not validate:\n${result.errors.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  return result.config;
}

/** Print an error for a person (code and message) and set a failing exit code. */
export function reportError(error: unknown): void {
  if (error instanceof VigilError) {
    process.stderr.write(`${pc.red('error')} ${pc.dim(`[${error.code}]`)} ${error.message}\n`);
    process.exitCode = error.status >= 500 ? 3 : 1;
    return;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${pc.red('error')} ${message}\n`);
  process.exitCode = 3;
}

/** Run a command action, turning any thrown error into a readable message and exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      reportError(error);
    }
  };
}
