/**
 * `vigil gate`: may this service (or journey) be released now? Prints the gate's decision, reasons and
 * margins and exits 0 allow, 0 warn (1 with --strict), 1 deny, 2 cannot decide (docs/release.md ("vigil gate")).
 * `vigil gate exception` lets a named person override a deny until a time.
 */
import { Command } from 'commander';
import pc from 'picocolors';
import type { GateExceptionJson, GateResponse } from '../../api/release.js';
import { parseDurationMinutes } from '../../config/duration.js';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import { action, authorization, reportError, TOKEN_OPTION, SERVER_OPTION, serverUrl } from '../shared.js';

/** Exit codes of `vigil gate`. */
export const GATE_EXIT = { allow: 0, warn: 0, warnStrict: 1, deny: 1, cannotDecide: 2 } as const;

/**
 * Calls a server's API: the answer's JSON, or a VigilError with the server's own code (store_unavailable when unreachable).
 * @example await callServer('http://127.0.0.1:8080', 'GET', '/api/v1/gate?service=payments-api', undefined)
 */
export async function callServer<T>(
  server: string,
  method: 'GET' | 'POST',
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<T> {
  const url = new URL(path, server);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...authorization(token), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${server}`, { cause });
  }
  const json = (await response.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!response.ok) {
    const code = json.error?.code;
    const known = code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'store_unavailable';
    throw new VigilError(known, `${method} ${url.href} answered ${response.status}: ${json.error?.message ?? 'no answer'}`);
  }
  return json;
}

/** The exit code of a decision. */
export function gateExitCode(decision: GateResponse['decision'], strict: boolean): number {
  if (decision === 'allow') return GATE_EXIT.allow;
  if (decision === 'warn') return strict ? GATE_EXIT.warnStrict : GATE_EXIT.warn;
  if (decision === 'deny') return GATE_EXIT.deny;
  return GATE_EXIT.cannotDecide;
}

const DECISION_TEXT: Record<GateResponse['decision'], string> = {
  allow: pc.green('ALLOW'),
  warn: pc.yellow('WARN'),
  deny: pc.red('DENY'),
  cannot_decide: pc.magenta('CANNOT DECIDE'),
};

/**
 * The gate's answer for a person: the decision, the reasons, each SLO's state and margin, the exception.
 * @example renderGate(answer, 'service payments-api')
 */
export function renderGate(answer: GateResponse, target: string): string {
  const lines = [`${DECISION_TEXT[answer.decision]} release of ${target}`];
  for (const reason of answer.reasons) lines.push(`  - ${reason}`);
  for (const journey of answer.journeys) {
    lines.push(`${journey.journey}: ${journey.state ?? 'no SLO'}`);
    for (const slo of journey.slos) lines.push(`  ${slo.slo} (${slo.state}): ${slo.margin.text}`);
  }
  if (answer.exception) {
    const e = answer.exception;
    lines.push(`exception by ${e.author} until ${e.until}: ${e.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An expiry given as an RFC 3339 time or a duration from now (2h, 1d). */
export function parseUntil(text: string, now: number): string {
  const duration = parseDurationMinutes(text);
  if (duration.ok) return new Date(now + duration.value * 60_000).toISOString();
  if (Number.isNaN(Date.parse(text)))
    throw new VigilError(
      'invalid_gate_exception',
      `--until: expected an RFC 3339 time or a duration such as 2h, got ${JSON.stringify(text)}`,
    );
  return text;
}

function exceptionCommand(): Command {
  return new Command('exception')
    .description('override a deny until a time, with a reason; kept forever, shown by the gate (scope operate)')
    .option('--journey <name>', 'the journey the exception covers')
    .option('--service <name>', 'the service the exception covers')
    .requiredOption('--until <time>', 'when it expires: an RFC 3339 time, or a duration from now such as 2h')
    .requiredOption('--reason <text>', 'why the release must ship anyway')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--json', 'print the exception as JSON')
    .action(
      action(
        async (opts: {
          journey?: string;
          service?: string;
          until: string;
          reason: string;
          server?: string;
          token?: string;
          json?: boolean;
        }) => {
          if ((opts.journey === undefined) === (opts.service === undefined))
            throw new VigilError('invalid_gate_exception', 'give exactly one of --journey and --service');
          const body = {
            ...(opts.journey && { journey: opts.journey }),
            ...(opts.service && { service: opts.service }),
            until: parseUntil(opts.until, Date.now()),
            reason: opts.reason,
          };
          const server = serverUrl(opts.server);
          const created = await callServer<GateExceptionJson>(server, 'POST', '/api/v1/gate/exceptions', opts.token, body);
          if (opts.json) process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
          else
            process.stdout.write(
              `Exception ${created.id} by ${created.author} for ${created.journey ?? created.service} until ${created.until}\n`,
            );
        },
      ),
    );
}

export function gateCommand(): Command {
  return (
    new Command('gate')
      .description('may this service or journey be released now? exit 0 allow or warn, 1 deny (or warn with --strict), 2 cannot decide')
      // `vigil gate exception --journey …` parses its own options, not the gate's of the same names.
      .enablePositionalOptions()
      .addCommand(exceptionCommand())
      .option('--service <name>', 'the service about to be deployed (the journeys whose steps name it)')
      .option('--journey <name>', 'one journey')
      .option('--strict', 'exit 1 on warn too')
      .option(...SERVER_OPTION)
      .option(...TOKEN_OPTION)
      .option('--json', 'print the answer as JSON')
      .action(async (opts: { service?: string; journey?: string; strict?: boolean; server?: string; token?: string; json?: boolean }) => {
        try {
          if ((opts.journey === undefined) === (opts.service === undefined))
            throw new VigilError('invalid_query', 'give exactly one of --service and --journey');
          const query =
            opts.journey !== undefined ? `journey=${encodeURIComponent(opts.journey)}` : `service=${encodeURIComponent(opts.service!)}`;
          const server = serverUrl(opts.server);
          const answer = await callServer<GateResponse>(server, 'GET', `/api/v1/gate?${query}`, opts.token);
          const target = opts.journey !== undefined ? `journey ${opts.journey}` : `service ${opts.service}`;
          process.stdout.write(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : renderGate(answer, target));
          process.exitCode = gateExitCode(answer.decision, opts.strict ?? false);
        } catch (error) {
          // No answer (unreachable, refused, unknown journey): the pipeline must not read it as allow or deny.
          reportError(error);
          process.stderr.write(`${DECISION_TEXT.cannot_decide}: the gate could not decide\n`);
          process.exitCode = GATE_EXIT.cannotDecide;
        }
      })
  );
}
