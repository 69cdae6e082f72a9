/** `vigil import`: other tools' SLO specs into what Vigil runs or writes; one subcommand per format, each in its own file. */
import { Command } from 'commander';
import { importSlothCommand } from './import-sloth.js';

/** The `import` command, for `program.addCommand(importCommand())`. */
export function importCommand(): Command {
  return new Command('import').description("read other tools' SLO specs").addCommand(importSlothCommand());
}
