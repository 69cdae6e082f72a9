/**
 * Corrections through the API (docs/api.md ("Corrections")): the list of those in force, and adding a one-off one,
 * which recomputes the SLIs of its journeys over history (docs/slo-maths.md ("Corrections")).
 */
import type * as z from 'zod';
import { type CorrectionAdded, type CorrectionJson, CorrectionRequest, type CorrectionsResponse } from '../api/corrections.js';
import { toInstant } from '../api/common.js';
import { VigilError } from '../errors/catalogue.js';
import type { CorrectionSpec } from '../model/config.js';
import type { IncidentService } from './incident-service.js';
import type { VigilRuntime } from './runtime.js';

function correctionJson(c: CorrectionSpec): CorrectionJson {
  const when = c.kind === 'once' ? { from: toInstant(c.from), to: toInstant(c.to) } : { every: c.weekly.text };
  return { name: c.name, journeys: [...c.journeys], source: c.source, ...when, reason: c.reason ?? null };
}

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return `${path ? `${path}: ` : ''}${issue.message}`;
}

export class Corrections {
  constructor(
    private readonly runtime: VigilRuntime,
    private readonly incidents?: IncidentService,
  ) {}

  /** Every correction in force: those of vigil.yaml, then those added through the API, oldest first. */
  list(): CorrectionsResponse {
    return { corrections: (this.runtime.config.corrections ?? []).map(correctionJson) };
  }

  /**
   * Validates and adds a one-off correction; answers once its journeys' SLIs are recomputed. Throws `invalid_correction`
   * (bad shape, `to` not after `from`, a journey not configured) or `correction_exists` (its name is taken).
   */
  async add(json: unknown, author: string | null, now: number): Promise<CorrectionAdded> {
    const parsed = CorrectionRequest.safeParse(json);
    if (!parsed.success) throw new VigilError('invalid_correction', firstProblem(parsed.error));
    const c = parsed.data;
    const from = Date.parse(c.from);
    const to = Date.parse(c.to);
    if (to <= from) throw new VigilError('invalid_correction', `to: ${c.to} is not after from (${c.from})`);
    const configured = new Set(this.runtime.config.journeys.map((j) => j.name));
    const unknown = c.journeys.filter((j) => !configured.has(j));
    if (unknown.length > 0)
      throw new VigilError(
        'invalid_correction',
        `journeys: '${unknown[0]}' is not a configured journey; expected one of: ${[...configured].join(', ')}`,
      );
    if ((this.runtime.config.corrections ?? []).some((x) => x.name === c.name))
      throw new VigilError('correction_exists', `a correction named '${c.name}' already exists`);
    const journeys = [...new Set(c.journeys)];
    const stored = { name: c.name, journeys, from, to, reason: c.reason ?? null, author, createdAt: now };
    // The switch waits for any alerting step in progress, as a reload does (docs/cli.md ("Signals")).
    const around = this.incidents?.reconfigure?.bind(this.incidents);
    const { added, recomputed } = await this.runtime.addCorrection(stored, around);
    if (!added) throw new VigilError('correction_exists', `a correction named '${c.name}' already exists`);
    const source = 'api' as const;
    const spec: CorrectionSpec = {
      name: c.name,
      journeys,
      ...(c.reason !== undefined && { reason: c.reason }),
      source,
      kind: 'once',
      from,
      to,
    };
    return { correction: correctionJson(spec), recomputed };
  }
}
