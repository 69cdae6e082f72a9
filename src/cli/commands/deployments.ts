/**
 * `vigil deployments`: which release spent the budget — the deployments of a running server, newest first, each with the
 * share of every affected SLO's budget it consumed and its excess over the day before (docs/cli.md ("vigil deployments")).
 */
import { Command } from 'commander';
import pc from 'picocolors';
import type { DeploymentJson, DeploymentsResponse } from '../../api/release.js';
import { table } from '../format.js';
import { action, SERVER_OPTION, serverUrl, TOKEN_OPTION } from '../shared.js';
import { callServer } from './gate.js';
import { instantOption } from './services.js';

interface DeploymentsOptions {
  journey?: string;
  service?: string;
  from?: string;
  to?: string;
  server?: string;
  token?: string;
  json?: boolean;
}

/** A share of a budget as a percentage with one decimal; `—` when nothing could be measured. */
function share(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** The SLO a deployment spent most of (largest excess, then consumed), or null when it measured none. */
export function worstSlo(d: DeploymentJson): DeploymentJson['slos'][number] | null {
  let worst: DeploymentJson['slos'][number] | null = null;
  for (const s of d.slos) {
    if (s.consumed === null) continue;
    if (
      worst === null ||
      (s.excess ?? 0) > (worst.excess ?? 0) ||
      ((s.excess ?? 0) === (worst.excess ?? 0) && s.consumed > worst.consumed!)
    )
      worst = s;
  }
  return worst;
}

/**
 * One row per deployment and affected SLO, newest deployment first; the deployment whose excess is the largest is
 * named under the table ("spent the most").
 */
export function renderDeployments(answer: DeploymentsResponse): string {
  if (answer.deployments.length === 0) return 'No deployments in this range.';
  const rows: string[][] = [];
  for (const d of answer.deployments) {
    const slos = d.slos.length > 0 ? d.slos : [null];
    slos.forEach((s, i) => {
      rows.push([
        i === 0 ? d.startedAt.slice(0, 16).replace('T', ' ') : '',
        i === 0 ? d.service : '',
        i === 0 ? d.version : '',
        i === 0 ? (d.author ?? '—') : '',
        s ? `${s.journey}/${s.slo}` : '(no journey)',
        share(s?.consumed ?? null),
        share(s?.baseline ?? null),
        share(s?.excess ?? null),
      ]);
    });
  }
  const header = ['STARTED (UTC)', 'SERVICE', 'VERSION', 'AUTHOR', 'SLO', 'CONSUMED', 'BASELINE', 'EXCESS'];
  let most: { d: DeploymentJson; s: DeploymentJson['slos'][number] } | null = null;
  for (const d of answer.deployments) {
    const s = worstSlo(d);
    if (s && (s.excess ?? 0) > 0 && (most === null || (s.excess ?? 0) > (most.s.excess ?? 0))) most = { d, s };
  }
  let note = '\n\nNo deployment spent more than the day before would have.';
  if (most) {
    const { d, s } = most;
    const spent = `${share(s.consumed)} of ${s.journey}/${s.slo}'s budget, ${share(s.excess)} more than the day before would have.`;
    note = `\n\n${pc.bold('Spent the most:')} ${d.service} ${d.version} — ${spent}`;
  }
  return `${table(header, rows, new Set([5, 6, 7]))}${note}`;
}

export function deploymentsCommand(): Command {
  return new Command('deployments')
    .description('deployments, newest first, with the share of each SLO budget they spent and their excess over the day before')
    .option('--journey <name>', 'only deployments affecting this journey')
    .option('--service <name>', 'only deployments of this service')
    .option('--from <time>', 'only deployments started at or after this time, RFC 3339 or YYYY-MM-DD')
    .option('--to <time>', 'only deployments started before this time')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--json', 'print the answer of the API as JSON')
    .action(
      action(async (opts: DeploymentsOptions) => {
        const query = new URLSearchParams();
        if (opts.journey !== undefined) query.set('journey', opts.journey);
        if (opts.service !== undefined) query.set('service', opts.service);
        if (opts.from !== undefined) query.set('from', instantOption(opts.from, '--from'));
        if (opts.to !== undefined) query.set('to', instantOption(opts.to, '--to'));
        const path = `/api/v1/deployments${query.size > 0 ? `?${query}` : ''}`;
        const answer = await callServer<DeploymentsResponse>(serverUrl(opts.server), 'GET', path, opts.token);
        process.stdout.write(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : `${renderDeployments(answer)}\n`);
      }),
    );
}
