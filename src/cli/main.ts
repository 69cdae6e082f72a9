/** The `vigil` command line: the composition root that wires config, store, engine and server. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { demoCommand } from './commands/demo.js';
import { incidentsCommand } from './commands/incidents.js';
import { ingestCommand } from './commands/ingest.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { tokenCommand } from './commands/token.js';
import { validateCommand } from './commands/validate.js';
import { deploymentsCommand } from './commands/deployments.js';
import { servicesCommand } from './commands/services.js';
import { valueCommand } from './commands/value.js';
import { retentionCommand } from './commands/retention.js';
import { tolerancesCommand } from './commands/tolerances.js';
import { deployCommand } from './commands/deploy.js';
import { gateCommand } from './commands/gate.js';
import { exportCommand } from './commands/export.js';
import { rulesCommand } from './commands/rules.js';
import { importCommand } from './commands/import.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('vigil')
  .description('Reliability the way customers feel it: customer journeys as SLOs, error budgets and burn-rate alerts.')
  .version(pkg.version)
  .showHelpAfterError()
  .enablePositionalOptions()
  .addCommand(serveCommand())
  .addCommand(demoCommand())
  .addCommand(statusCommand())
  .addCommand(ingestCommand())
  .addCommand(incidentsCommand())
  .addCommand(validateCommand())
  .addCommand(tokenCommand())
  .addCommand(valueCommand())
  .addCommand(servicesCommand())
  .addCommand(retentionCommand())
  .addCommand(tolerancesCommand())
  .addCommand(deployCommand())
  .addCommand(deploymentsCommand())
  .addCommand(gateCommand())
  .addCommand(exportCommand())
  .addCommand(rulesCommand())
  .addCommand(importCommand());

await program.parseAsync(process.argv);
