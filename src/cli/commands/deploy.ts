/** `vigil deploy`: records a deployment on a running server, for CD pipelines (docs/release.md ("From a CD pipeline")). */
import { Command } from 'commander';
import type { DeployAccepted } from '../../api/release.js';
import { action, TOKEN_OPTION, SERVER_OPTION, serverUrl } from '../shared.js';
import { callServer } from './gate.js';

interface DeployOptions {
  service: string;
  version: string;
  id?: string;
  environment?: string;
  startedAt?: string;
  finishedAt?: string;
  description?: string;
  author?: string;
  url?: string;
  journey?: string[];
  server?: string;
  token?: string;
  json?: boolean;
}

/**
 * The deployment body the options describe; the id defaults to service@version@startedAt, so a retried step posts the same deployment.
 * @example deploymentBody({ service: 'payments-api', version: '2.14.0' }, Date.UTC(2026, 10, 26, 10))
 */
export function deploymentBody(opts: DeployOptions, now: number): Record<string, unknown> {
  const startedAt = opts.startedAt ?? new Date(now).toISOString();
  return {
    id: opts.id ?? `${opts.service}@${opts.version}@${startedAt}`,
    service: opts.service,
    version: opts.version,
    startedAt,
    ...(opts.environment && { environment: opts.environment }),
    ...(opts.finishedAt && { finishedAt: opts.finishedAt }),
    ...(opts.description && { description: opts.description }),
    ...(opts.author && { author: opts.author }),
    ...(opts.url && { url: opts.url }),
    ...(opts.journey && opts.journey.length > 0 && { journeys: opts.journey }),
  };
}

export function deployCommand(): Command {
  return new Command('deploy')
    .description('record a deployment on a running server (scope ingest): call it from the CD pipeline when a release starts')
    .requiredOption('--service <name>', 'the service deployed')
    .requiredOption('--version <version>', 'the version deployed')
    .option('--id <id>', 'an id that makes the post idempotent (default: service@version@startedAt)')
    .option('--environment <name>', 'production, staging, …')
    .option('--started-at <time>', 'RFC 3339 (default: now)')
    .option('--finished-at <time>', 'RFC 3339, when known')
    .option('--description <text>', 'what changed')
    .option('--author <name>', 'who or what deployed')
    .option('--url <url>', 'a link to the pipeline run')
    .option('--journey <name...>', 'the journeys it affects (default: those whose steps name the service)')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--json', 'print the stored deployment as JSON')
    .action(
      action(async (opts: DeployOptions) => {
        const server = serverUrl(opts.server);
        const answer = await callServer<DeployAccepted>(
          server,
          'POST',
          '/api/v1/deployments',
          opts.token,
          deploymentBody(opts, Date.now()),
        );
        const d = answer.deployments[0]!;
        if (opts.json) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
        else
          process.stdout.write(
            `Deployment ${d.id}: ${d.service} ${d.version} at ${d.startedAt}, affecting ${d.journeys.length > 0 ? d.journeys.join(', ') : 'no journey'}\n`,
          );
      }),
    );
}
