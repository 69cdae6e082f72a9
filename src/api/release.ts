/** Deployments, the budget policy and the release gate on the wire (docs/release.md, docs/api.md ("Deployments and the release gate")). */
import { z } from 'zod';
import { Instant } from './common.js';

/** What one deployment spent of one SLO's budget over its attribution interval (shares of the budget). */
export const DeploymentSlo = z.strictObject({
  journey: z.string(),
  slo: z.string(),
  consumed: z.number().nullable(),
  baseline: z.number().nullable(),
  excess: z.number().nullable(),
});
export type DeploymentSlo = z.infer<typeof DeploymentSlo>;

export const DeploymentJson = z.strictObject({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  environment: z.string().nullable(),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  description: z.string().nullable(),
  author: z.string().nullable(),
  url: z.string().nullable(),
  journeys: z.array(z.string()),
  /** The attribution interval, whole minutes: [from, to). */
  attribution: z.strictObject({ from: Instant, to: Instant }),
  slos: z.array(DeploymentSlo),
});
export type DeploymentJson = z.infer<typeof DeploymentJson>;

export const DeploymentsResponse = z.strictObject({ deployments: z.array(DeploymentJson) });
export type DeploymentsResponse = z.infer<typeof DeploymentsResponse>;

export const DeployAccepted = z.strictObject({ accepted: z.number().int().nonnegative(), deployments: z.array(DeploymentJson) });
export type DeployAccepted = z.infer<typeof DeployAccepted>;

export const GateExceptionJson = z.strictObject({
  id: z.string(),
  journey: z.string().nullable(),
  service: z.string().nullable(),
  until: Instant,
  reason: z.string(),
  author: z.string(),
  createdAt: Instant,
  /** Whether it is in force at the answer's time. */
  active: z.boolean(),
});
export type GateExceptionJson = z.infer<typeof GateExceptionJson>;

export const GateExceptionsResponse = z.strictObject({ exceptions: z.array(GateExceptionJson) });
export type GateExceptionsResponse = z.infer<typeof GateExceptionsResponse>;

export const Margin = z.strictObject({
  failures: z.number(),
  fullOutageMinutes: z.number().nullable(),
  /** The margin in words: "the budget absorbs 412 more failed attempts, or 9 minutes of full outage, at today's volume". */
  text: z.string(),
});

export const GateSlo = z.strictObject({
  slo: z.string(),
  state: z.string(),
  remaining: z.number(),
  page: z.boolean(),
  ticket: z.boolean(),
  margin: Margin,
});

export const GateJourney = z.strictObject({ journey: z.string(), state: z.string().nullable(), slos: z.array(GateSlo) });

export const GATE_DECISIONS = ['allow', 'warn', 'deny', 'cannot_decide'] as const;

export const GateResponse = z.strictObject({
  at: Instant,
  decision: z.enum(GATE_DECISIONS),
  reasons: z.array(z.string()),
  journeys: z.array(GateJourney),
  exception: GateExceptionJson.nullable(),
});
export type GateResponse = z.infer<typeof GateResponse>;

const field = z.string().trim().min(1).max(500);
const instantIn = z.iso.datetime({ offset: true });

/** One deployment as posted (docs/release.md ("Deployments")); `journeys` defaults to those whose steps name the service. */
export const DeploymentRequest = z.strictObject({
  id: z.string().trim().min(1).max(200),
  service: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(200),
  environment: field.optional(),
  startedAt: instantIn,
  finishedAt: instantIn.optional(),
  description: z.string().max(2000).optional(),
  author: field.optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  journeys: z.array(z.string().min(1).max(200)).max(100).optional(),
});
export type DeploymentRequest = z.infer<typeof DeploymentRequest>;

/** A gate exception as posted (docs/release.md ("Exceptions")): one of journey or service. */
export const GateExceptionRequest = z
  .strictObject({
    journey: z.string().trim().min(1).max(200).optional(),
    service: z.string().trim().min(1).max(200).optional(),
    until: instantIn,
    reason: z.string().trim().min(1).max(2000),
    /** Kept only on an open server; with tokens the author is the token's name. */
    author: field.optional(),
  })
  .refine((e) => (e.journey === undefined) !== (e.service === undefined), { message: 'give exactly one of journey and service' });
export type GateExceptionRequest = z.infer<typeof GateExceptionRequest>;
