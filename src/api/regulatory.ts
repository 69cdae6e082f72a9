/**
 * DORA classification on the wire (docs/api.md ("Regulatory report"), docs/dora.md): the criteria with their figures, the
 * decision, the reporting clocks and the prefilled report; and the person flags a PUT sets.
 */
import { z } from 'zod';
import { Instant } from './common.js';
import { ClockJson, IncidentStatus, Priority } from './incidents.js';

export { ClockJson };
import { Money } from './money.js';

export const CriterionKey = z.enum([
  'criticalService',
  'clientsAndTransactions',
  'reputational',
  'durationAndDowntime',
  'geographical',
  'dataLosses',
  'economic',
]);
export const ThresholdKey = z.enum([
  'clientsAndTransactions',
  'reputational',
  'durationAndDowntime',
  'geographical',
  'dataLosses',
  'economic',
]);
export const CriterionStatus = z.enum(['met', 'not_met', 'needs_person']);
export const FlagName = z.enum([
  'dataLoss',
  'reputational',
  'geographical',
  'otherCosts',
  'cause',
  'initialSubmittedAt',
  'intermediateSubmittedAt',
  'finalSubmittedAt',
]);

/** One measured figure: `id` is how the report names it; `measuredAs` says what was counted, where and over which span. */
export const FigureJson = z.strictObject({
  id: z.string(),
  key: z.string(),
  journey: z.string().nullable(),
  unit: z.enum(['customers', 'transactions', 'money', 'minutes', 'countries', 'signals', 'ratio', 'journeys']),
  value: z.union([z.number(), z.null(), z.array(Money), z.array(z.string())]),
  measuredAs: z.string(),
});
export type FigureJson = z.infer<typeof FigureJson>;

/** A person flag as last set; instants (the submissions) as RFC 3339. */
export const RegulatoryFlagJson = z.strictObject({
  name: FlagName,
  value: z.union([z.boolean(), Money, z.string(), z.null()]),
  setBy: z.string().nullable(),
  setAt: Instant,
  note: z.string().nullable(),
});
export type RegulatoryFlagJson = z.infer<typeof RegulatoryFlagJson>;

export const CriterionJson = z.strictObject({
  key: CriterionKey,
  article: z.string(),
  title: z.string(),
  status: CriterionStatus,
  summary: z.string(),
  threshold: z.string(),
  figures: z.array(FigureJson),
  flags: z.array(RegulatoryFlagJson),
});
export type CriterionJson = z.infer<typeof CriterionJson>;

export const DecisionJson = z.strictObject({
  major: z.boolean(),
  basis: z.enum(['thresholds', 'recurring']).nullable(),
  reason: z.string(),
  criticalService: z.boolean(),
  thresholdsMet: z.array(ThresholdKey),
  needsPerson: z.array(CriterionKey),
});
export type DecisionJson = z.infer<typeof DecisionJson>;

/** A report field Vigil fills, with the ids of the figures it comes from. */
const Traced = <T extends z.ZodType>(value: T) => z.strictObject({ value, figures: z.array(z.string()) });

/** The fields of a major-incident report that Vigil can fill (docs/dora.md ("The report")). */
export const ReportJson = z.strictObject({
  incidentReference: z.string(),
  title: z.string(),
  detectedAt: Instant,
  occurredAt: Instant,
  classifiedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  major: z.boolean(),
  recurring: z.boolean(),
  criteriaMet: z.array(ThresholdKey),
  journeysAffected: z.array(z.strictObject({ journey: z.string(), displayName: z.string(), critical: z.boolean() })),
  servicesAffected: z.array(z.string()),
  clientsAffected: Traced(z.number()),
  transactionsAffected: Traced(z.number()),
  amountsAffected: Traced(z.array(Money)),
  durationMinutes: Traced(z.number()),
  downtimeMinutes: Traced(z.number()),
  valueLost: Traced(z.array(Money)),
  otherCosts: Money.nullable(),
  countries: Traced(z.array(z.string())),
  dataLosses: z.boolean().nullable(),
  reputationalImpact: z.boolean(),
  timeline: z.array(z.strictObject({ at: Instant, kind: z.string(), message: z.string() })),
});
export type ReportJson = z.infer<typeof ReportJson>;

/** GET /api/v1/incidents/{id}/regulatory. */
export const RegulatoryResponse = z.strictObject({
  incident: z.strictObject({ id: z.string(), title: z.string(), status: IncidentStatus, priority: Priority }),
  /** Vigil prepares; a person decides and submits. */
  notice: z.string(),
  timezone: z.string(),
  window: z.strictObject({ from: Instant, to: Instant }),
  reference: z.strictObject({ from: Instant, to: Instant }),
  criteria: z.array(CriterionJson),
  decision: DecisionJson,
  /** When it first became major, as recorded; null while it never was. */
  classification: z.strictObject({ classifiedAt: Instant, basis: z.enum(['thresholds', 'recurring']), reason: z.string() }).nullable(),
  /** The reporting clocks, once classified; empty before. */
  clocks: z.array(ClockJson),
  /** The recurring rule (Art. 8(2)): the cause key, the earlier incidents and the decision for them together; null when not looked at. */
  recurring: z
    .strictObject({
      cause: z.string(),
      incidents: z.array(z.strictObject({ id: z.string(), openedAt: Instant })),
      decision: DecisionJson,
    })
    .nullable(),
  cause: z.string(),
  report: ReportJson,
  generatedAt: Instant,
});
export type RegulatoryResponse = z.infer<typeof RegulatoryResponse>;

/** PUT /api/v1/incidents/{id}/regulatory/flags: the flags set, every flag as last set, and the decision after. */
export const RegulatoryFlagsResponse = z.strictObject({
  id: z.string(),
  flags: z.array(RegulatoryFlagJson),
  decision: DecisionJson,
  classification: RegulatoryResponse.shape.classification,
  /** The incident's version after the write (docs/scale-out.md ("Incident versions")): the If-Match of its next change. */
  version: z.number().int().min(1),
});
export type RegulatoryFlagsResponse = z.infer<typeof RegulatoryFlagsResponse>;
