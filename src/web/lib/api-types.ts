/**
 * The shapes the dashboard reads from /api/v1: the one wire contract of src/api, imported as types
 * only (no schema code reaches the bundle). Every instant is an RFC 3339 string; pages parse it where
 * they need a number.
 */
export type { Info } from '../../api/server-info.js';
export type { DisruptionJson as Disruption, JourneyTolerance, ToleranceLevel } from '../../api/tolerances.js';
export type { RetentionBucket, RetentionCohort, RetentionPeriod, RetentionResponse } from '../../api/retention.js';
export type {
  AlertPairStatus,
  BurnWindow,
  SeriesCorrection,
  SeriesDeployment,
  SeriesResponse,
  SloSeriesPoint as SeriesPoint,
  SloStatus,
} from '../../api/slo.js';
export type {
  JourneyDetail,
  JourneySummary,
  JourneysResponse,
  JourneyValue,
  ScopeOutcomes as OutcomeCounts,
  StepDetail,
  StepSummary,
} from '../../api/journeys.js';
export type {
  RankedService,
  ServiceAlert,
  ServiceRankingResponse,
  ServiceState,
  ServicesResponse,
  Stage,
} from '../../api/services.js';
export type {
  AlertJson as Alert,
  IncidentDetailResponse as IncidentDetail,
  IncidentJson as Incident,
  IncidentsResponse,
  NoiseStats,
} from '../../api/incidents.js';
export type { JourneyValueResponse as JourneyValueAnswer } from '../../api/value.js';
export type { GateResponse } from '../../api/release.js';
export type { SourceSliJson as SourceSli, SourcesResponse } from '../../api/sources.js';
export type { SignalJson as Signal, SignalStatus, SignalsResponse } from '../../api/signals.js';
export type { BenchmarkJourney, BenchmarkResponse, BenchmarkRow } from '../../api/benchmark.js';
export type { ClockJson, CriterionJson, DecisionJson, RegulatoryResponse } from '../../api/regulatory.js';
export type { ClusterNodeJson as ClusterNode, ClusterResponse } from '../../api/cluster.js';
