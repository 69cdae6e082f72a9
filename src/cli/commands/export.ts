/**
 * `vigil export <format>`: a configuration in another tool's language. `vigil export openslo` writes the journeys and SLOs as
 * OpenSLO v1 documents (docs/openslo.md ("Export")).
 */
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { exportOpenSlo } from '../../config/openslo/export.js';
import { action, DEFAULT_CONFIG_PATH, loadConfigOrThrow } from '../shared.js';

export interface ExportOptions {
  config: string;
  out?: string;
}

/**
 * Exports the configuration at `options.config`: the documents (for standard output, or written to `options.out`) and the
 * note for standard error. Throws a coded error when the configuration is missing or invalid.
 * @example const { stdout, stderr } = await runExportOpenSlo({ config: 'vigil.yaml' });
 */
export async function runExportOpenSlo(options: ExportOptions): Promise<{ stdout: string; stderr: string }> {
  const config = await loadConfigOrThrow(options.config);
  const exported = exportOpenSlo(config);
  const slos = config.journeys.reduce((n, j) => n + j.slos.length, 0);
  const lines = [`exported ${config.journeys.length} journeys and ${slos} SLOs as ${exported.objects.length} OpenSLO v1 objects`];
  if (exported.leftOut.length > 0) {
    lines.push(`not exported (OpenSLO has no object for them; they stay in vigil.yaml): ${exported.leftOut.join(', ')}`);
  }
  if (options.out !== undefined) {
    await writeFile(options.out, exported.text);
    return { stdout: '', stderr: `${lines.map((l) => `${l}\n`).join('')}written to ${options.out}\n` };
  }
  return { stdout: exported.text, stderr: lines.map((l) => `${l}\n`).join('') };
}

/** `vigil export openslo`. */
export function exportOpenSloCommand(): Command {
  return new Command('openslo')
    .description('write the journeys and SLOs as OpenSLO v1 documents: a Service per journey, an SLO per SLO, the burn-rate alerts')
    .option('-c, --config <path>', 'the configuration: a file, or a directory of YAML files', DEFAULT_CONFIG_PATH)
    .option('-o, --out <file>', 'write the documents to this file instead of standard output')
    .action(
      action(async (options: ExportOptions) => {
        const { stdout, stderr } = await runExportOpenSlo(options);
        process.stdout.write(stdout);
        process.stderr.write(stderr);
      }),
    );
}

/** The `export` command, for `program.addCommand(exportCommand())`; each format is a subcommand. */
export function exportCommand(): Command {
  return new Command('export').description("write the configuration in another tool's format").addCommand(exportOpenSloCommand());
}
