/** Deployments, gate exceptions and the budget policy as every layer sees them (docs/release.md). */

/** One deployment as stored (docs/release.md ("Deployments")); instants are epoch ms. */
export interface Deployment {
  id: string;
  service: string;
  version: string;
  environment: string | null;
  startedAt: number;
  finishedAt: number | null;
  description: string | null;
  author: string | null;
  url: string | null;
  /** The journeys it affects: as posted, else those whose steps name the service (possibly none). */
  journeys: string[];
  /** When the server received it. */
  receivedAt: number;
}

/** A named person's override of a deny until a time (docs/release.md ("Exceptions")); kept forever. */
export interface GateException {
  id: string;
  /** Exactly one of journey and service is set. */
  journey: string | null;
  service: string | null;
  until: number;
  reason: string;
  /** The token's name that created it (or the body's author on an open server). */
  author: string;
  createdAt: number;
}

/** One policy state: matched when the SLO's remaining budget ≥ minRemaining (no minRemaining: always). */
export interface PolicyState {
  name: string;
  minRemaining?: number;
}

/** `policy` in vigil.yaml (docs/release.md ("Budget policy")). */
export interface PolicySpec {
  states: PolicyState[];
  gate: { deny: string[]; warn: string[] };
}

export const DEFAULT_POLICY: PolicySpec = {
  states: [{ name: 'healthy', minRemaining: 0.25 }, { name: 'caution', minRemaining: 0 }, { name: 'frozen' }],
  gate: { deny: ['frozen', 'page'], warn: ['caution', 'ticket'] },
};

/** Default `deployments.attributionWindow`: 24 hours, in minutes. */
export const DEFAULT_ATTRIBUTION_MINUTES = 1440;
