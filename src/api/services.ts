/** The infrastructure view on the wire: services, the stages that need them, their firing alerts (docs/api.md ("The other reads")). */
import { z } from 'zod';
import { Instant } from './common.js';

export const Stage = z.strictObject({ journey: z.string(), step: z.string().nullable() });
export type Stage = z.infer<typeof Stage>;

/** A technical alert firing on a service. */
export const ServiceAlert = z.strictObject({
  key: z.string(),
  name: z.string(),
  severity: z.string().nullable(),
  summary: z.string(),
  startsAt: Instant,
});
export type ServiceAlert = z.infer<typeof ServiceAlert>;

export const ServiceState = z.strictObject({
  name: z.string(),
  owner: z.string().optional(),
  tier: z.string().optional(),
  stages: z.array(Stage),
  firingAlerts: z.number().int().nonnegative(),
  alerts: z.array(ServiceAlert),
});
export type ServiceState = z.infer<typeof ServiceState>;

export const ServicesResponse = z.strictObject({ services: z.array(ServiceState) });
export type ServicesResponse = z.infer<typeof ServicesResponse>;
