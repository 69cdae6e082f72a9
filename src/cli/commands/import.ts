/**
 * `vigil import <format>`: another tool's SLO definitions as a vigil.yaml. `vigil import openslo FILE|DIR…` reads OpenSLO v1
 * and v1alpha documents, refuses them with every problem located when they are not valid OpenSLO, and names each part it
 * cannot import with file:line:col (docs/openslo.md ("Import")); `vigil import sloth` is in import-sloth.ts.
 */
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { formatProblem } from '../../config/load.js';
import { readPaths } from '../../config/openslo/documents.js';
import { importOpenSlo } from '../../config/openslo/import.js';
import { VigilError } from '../../errors/catalogue.js';
import { action } from '../shared.js';
import { importSlothCommand } from './import-sloth.js';

export interface ImportOptions {
  out?: string;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Imports OpenSLO files and directories: the vigil.yaml (for standard output, or written to `options.out`) and, for standard
 * error, each part not imported and a summary. Throws `config_not_found` for a missing path and `openslo_invalid` (after
 * writing every problem to `stderr`) when a document is not valid OpenSLO; nothing is written then.
 * @example const { stdout } = await runImportOpenSlo(['slos/'], {}, (text) => process.stderr.write(text));
 */
export async function runImportOpenSlo(
  paths: string[],
  options: ImportOptions,
  stderr: (text: string) => void,
): Promise<{ stdout: string }> {
  const read = await readPaths(paths);
  const missing = read.problems.find((p) => p.line === 0 && p.message === 'no such file or directory');
  if (missing) throw new VigilError('config_not_found', `No OpenSLO file or directory at ${missing.file}`);
  const result = importOpenSlo(read);
  if (!result.ok) {
    stderr(result.problems.map((p) => `${formatProblem(p)}\n`).join(''));
    const files = new Set(result.problems.map((p) => p.file)).size;
    throw new VigilError(
      'openslo_invalid',
      `${plural(result.problems.length, 'problem')} in ${plural(files, 'file')}; nothing was imported`,
    );
  }
  const journeys = result.config.journeys;
  const slos = journeys.reduce((n, j) => n + j.slos.length, 0);
  const notes = result.notImported.map((p) => `${formatProblem(p)}\n`).join('');
  const summary = `imported ${plural(journeys.length, 'journey')} and ${plural(slos, 'SLO')} from ${plural(read.files.length, 'file')}; ${plural(
    result.notImported.length,
    'part',
  )} not imported${result.notImported.length > 0 ? ' (listed above)' : ''}\n`;
  if (options.out !== undefined) {
    await writeFile(options.out, result.yaml);
    stderr(`${notes}${summary}written to ${options.out}\n`);
    return { stdout: '' };
  }
  stderr(`${notes}${summary}`);
  return { stdout: result.yaml };
}

/** `vigil import openslo`. */
export function importOpenSloCommand(): Command {
  return new Command('openslo')
    .description('read OpenSLO v1 (and v1alpha) files or directories into a vigil.yaml, naming every part that cannot be imported')
    .argument('<paths...>', 'OpenSLO files, or directories searched for *.yaml, *.yml and *.json')
    .option('-o, --out <file>', 'write the vigil.yaml to this file instead of standard output')
    .action(
      action(async (paths: string[], options: ImportOptions) => {
        const { stdout } = await runImportOpenSlo(paths, options, (text) => process.stderr.write(text));
        process.stdout.write(stdout);
      }),
    );
}

/** The `import` command, for `program.addCommand(importCommand())`; each format is a subcommand. */
export function importCommand(): Command {
  return new Command('import')
    .description("read another tool's SLO definitions into a vigil.yaml")
    .addCommand(importOpenSloCommand())
    .addCommand(importSlothCommand());
}
