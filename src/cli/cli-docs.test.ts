/** The option tables of docs/cli.md are the commands' own options, with their defaults. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { demoCommand } from './commands/demo.js';
import { incidentsCommand } from './commands/incidents.js';
import { ingestCommand } from './commands/ingest.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './commands/token.js';
import { validateCommand } from './commands/validate.js';
import { deploymentsCommand } from './commands/deployments.js';
import { servicesCommand } from './commands/services.js';
import { valueCommand } from './commands/value.js';
import { retentionCommand } from './commands/retention.js';
import { tolerancesCommand } from './commands/tolerances.js';
import { deployCommand } from './commands/deploy.js';
import { gateCommand } from './commands/gate.js';
import { exportOpenSloCommand } from './commands/export.js';
import { importOpenSloCommand } from './commands/import.js';
import { rulesCommand } from './commands/rules.js';
import { importSlothCommand } from './commands/import-sloth.js';

const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

/** Rows of the table after `<!-- options: name -->`: option flags and default, backticks dropped. */
function documented(name: string): { flags: string; defaultText: string }[] {
  const marker = `<!-- options: ${name} -->\n`;
  const start = doc.indexOf(marker);
  if (start === -1) throw new Error(`docs/cli.md has no options table for ${name}`);
  const body = doc.slice(start + marker.length);
  return body
    .slice(0, body.indexOf('\n\n'))
    .split('\n')
    .slice(2)
    .map((line) => {
      const [flags, defaultText] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, ''));
      return { flags: flags!, defaultText: defaultText! };
    });
}

const COMMANDS: [string, Command][] = [
  ['serve', serveCommand()],
  ['demo', demoCommand()],
  ['validate', validateCommand()],
  ['status', statusCommand()],
  ['ingest', ingestCommand()],
  ['incidents', incidentsCommand()],
  ['token create', tokenCreateCommand()],
  ['token list', tokenListCommand()],
  ['token revoke', tokenRevokeCommand()],
  ['value', valueCommand()],
  ['services', servicesCommand()],
  ['deployments', deploymentsCommand()],
  ['retention', retentionCommand()],
  ['tolerances', tolerancesCommand()],
  ['deploy', deployCommand()],
  ['gate', gateCommand()],
  ['gate exception', gateCommand().commands.find((c) => c.name() === 'exception')!],
  ['export openslo', exportOpenSloCommand()],
  ['import openslo', importOpenSloCommand()],
  ['rules prometheus', rulesCommand().commands.find((c) => c.name() === 'prometheus')!],
  ['import sloth', importSlothCommand()],
];

describe('docs/cli.md', () => {
  it('has a section for every command, with its arguments', () => {
    for (const [name, command] of COMMANDS) {
      const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`));
      expect(doc, name).toContain(`\n## \`${['vigil', name, ...args].join(' ')}\`\n`);
    }
  });

  it.each(COMMANDS)('lists exactly the options of vigil %s, with their defaults', (name, command) => {
    const rows = documented(name);
    expect(rows.map((r) => r.flags)).toEqual(command.options.map((o) => o.flags));
    for (const option of command.options) {
      const row = rows.find((r) => r.flags === option.flags)!;
      // A default the option itself carries must be the one documented; `--no-x` flags default to true implicitly.
      if (option.defaultValue !== undefined && !option.negate) expect(row.defaultText, option.flags).toBe(String(option.defaultValue));
      else expect(row.defaultText, option.flags).not.toBe('');
    }
  });
});
