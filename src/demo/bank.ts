/** Where the demo bank's configuration lives, and loading it through the ordinary config loader. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatProblem, loadConfig } from '../config/load.js';
import { VigilError } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';

/**
 * Absolute path of bank.yaml: beside this module when run from source, or in the package's
 * src/demo/ (shipped through package.json `files`) when run from dist/demo/.
 */
export const BANK_CONFIG_PATH: string = (() => {
  const beside = fileURLToPath(new URL('./bank.yaml', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../src/demo/bank.yaml', import.meta.url));
})();

/**
 * The Northwind Bank configuration, resolved; throws `config_invalid`/`config_not_found` with every
 * problem if the shipped file is broken (a packaging bug, not a user error).
 * @example const config = await loadBankConfig(); config.journeys.length // 6
 */
export async function loadBankConfig(): Promise<VigilConfig> {
  const result = await loadConfig(BANK_CONFIG_PATH);
  if (result.ok) return result.config;
  throw new VigilError(
    result.code,
    `the demo configuration ${BANK_CONFIG_PATH} does not load:\n${result.errors.map(formatProblem).join('\n')}`,
  );
}
