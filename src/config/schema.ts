/** Zod schemas of one vigil.yaml file as written (docs/configuration.md ("Top level")): strict mappings, each field worded for its author. */
import { isIP } from 'node:net';
import * as z from 'zod';
import { regexHazard } from './safe-regex.js';
import { DEFAULT_SERVICE_LABELS, SLI_SOURCES, SLI_WEIGHTS } from '../model/config.js';
import { parseDurationMinutes, parseWindow } from './duration.js';
import { expecting } from './messages.js';
import { type PathProblem, schemaProblems } from './zod-problems.js';
import { NotificationsSchema } from './notifications.js';
import { parseEvery } from '../engine/corrections.js';
import { parseRfc3339 } from '../ingest/timestamp.js';

const NAME_PATTERN = /^[a-z0-9-]+$/;
const NAME_WORDS = "a name of lowercase letters, digits and '-'";

const name = z.string(expecting(NAME_WORDS)).regex(NAME_PATTERN);
const text = z.string(expecting('a non-empty string')).min(1);
const flag = z.boolean(expecting('true or false'));
const objective = z.number(expecting('a number greater than 0 and less than 100')).gt(0).lt(100);

/** True when the runtime's ICU knows the zone; Intl is the authority the engine will use for calendar windows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timezone = z
  .string(expecting('an IANA time zone such as Europe/London'))
  .refine(isTimeZone, expecting('an IANA time zone such as Europe/London'));

const window = z.string(expecting('a window such as 28d, 4w or month')).transform((value, ctx) => {
  const parsed = parseWindow(value);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', input: value, message: parsed.message });
  return z.NEVER;
});

const durationMinutes = z.string(expecting('a duration such as 10m, 2h or 35d')).transform((value, ctx) => {
  const parsed = parseDurationMinutes(value);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', input: value, message: parsed.message });
  return z.NEVER;
});

/** A label value in a service rule: literal, or a regular expression written `/…/` that must compile. */
const labelMatcher = z
  .union([z.string(), z.number(), z.boolean()], expecting('a label value (a string, or /regex/)'))
  .transform(String)
  .superRefine((value, ctx) => {
    if (value.length < 2 || !value.startsWith('/') || !value.endsWith('/')) return;
    try {
      new RegExp(value.slice(1, -1));
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `expected a valid regular expression, got '${value}' (${(error as Error).message})`,
      });
      return;
    }
    // Every alert's labels are matched against it: a pattern that can backtrack exponentially would let one label stall the server.
    const hazard = regexHazard(value.slice(1, -1));
    if (hazard) ctx.addIssue({ code: 'custom', input: value, message: `unsafe regular expression '${value}': ${hazard}` });
  });

export const StepSchema = z.strictObject({
  name,
  displayName: text.optional(),
  services: z.array(text, expecting('a list of service names')).default([]),
  critical: flag.default(false),
});

const SLI_SOURCE_WORDS = "'events' (the journey events Vigil ingests) or 'prometheus' (with kind: prometheus)";
const promql = z.string(expecting('a PromQL expression')).trim().min(1).max(4000);

export const SliSchema = z.strictObject({
  source: z.enum(SLI_SOURCES, expecting(SLI_SOURCE_WORDS)).optional(),
  kind: z.enum(['success', 'latency', 'prometheus'], expecting("'success', 'latency' or 'prometheus'")),
  good: promql.optional(),
  bad: promql.optional(),
  total: promql.optional(),
  thresholdMs: z.number(expecting('a positive whole number of milliseconds')).int().positive().optional(),
  step: name.optional(),
  abandonedIsBad: flag.default(false),
  weight: z.enum(SLI_WEIGHTS, expecting("'events' or 'amount' (each valid event counts with its amount)")).default('events'),
});

/** One alert of a multiwindow, multi-burn-rate policy (docs/configuration.md, "Alert windows"). */
export const AlertWindowPairSchema = z.strictObject({
  severity: z.enum(['page', 'ticket'], expecting("'page' or 'ticket'")),
  short: durationMinutes,
  long: durationMinutes,
  budgetPercent: z.number(expecting('a percentage of the error budget greater than 0 and at most 100')).gt(0).lte(100),
});

const alertWindowPairs = z.array(AlertWindowPairSchema, expecting('a list of at least one alert window pair')).min(1);

/** The alert windows of every SLO of one period, unless an SLO sets its own. */
export const AlertWindowPolicySchema = z.strictObject({ period: window, pairs: alertWindowPairs });

export const SloSchema = z.strictObject({
  name,
  displayName: text.optional(),
  objective: objective.optional(),
  window: window.optional(),
  budgeting: z.enum(['occurrences', 'timeslices'], expecting("'occurrences' or 'timeslices'")).default('occurrences'),
  timeSliceTarget: z.number(expecting('a percentage greater than 0 and at most 100')).gt(0).lte(100).optional(),
  sli: SliSchema,
  alerting: z
    .strictObject({ minEvents: z.number(expecting('a whole number ≥ 0')).int().min(0).default(0), windows: alertWindowPairs.optional() })
    .optional(),
});

export const JourneyValueSchema = z.strictObject({
  currency: z.string(expecting('a three-letter ISO 4217 currency code such as EUR')).regex(/^[A-Z]{3}$/),
  revenuePerSuccess: z.number(expecting('a number ≥ 0')).min(0).optional(),
  feeRate: z.number(expecting('a fraction from 0 to 1')).min(0).max(1).optional(),
});

/** A percentage written with its sign (`10%`, `12.5%`), as a fraction 0–1; a bare number is refused as ambiguous. */
const PERCENT_WORDS = 'a percentage such as 10% or 12.5% (greater than 0, at most 100)';
const percent = z.string(expecting(PERCENT_WORDS)).transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  const number = match ? Number(match[1]) : Number.NaN;
  if (number > 0 && number <= 100) return Number((number / 100).toPrecision(12));
  ctx.issues.push({ code: 'custom', input: value, message: `expected ${PERCENT_WORDS}, got '${value}'` });
  return z.NEVER;
});

/** `journeys[].regulation` (docs/configuration.md ("regulation")). */
export const JourneyRegulationSchema = z
  .strictObject({
    critical: flag.optional(),
    importantBusinessService: flag.optional(),
    impactTolerance: durationMinutes.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.importantBusinessService === true && r.impactTolerance === undefined)
      ctx.addIssue({ code: 'custom', path: [], message: 'missing impactTolerance; an important business service needs one, such as 4h' });
    if (r.impactTolerance !== undefined && r.importantBusinessService !== true)
      ctx.addIssue({
        code: 'custom',
        path: ['impactTolerance'],
        message: 'impactTolerance applies only to an important business service; set importantBusinessService: true or remove it',
      });
  });

const wholeCount = z.number(expecting('a whole number ≥ 1')).int().min(1);

/** `regulation` (docs/configuration.md ("regulation")): the downtime line and the DORA thresholds. */
export const RegulationSchema = z.strictObject({
  downtimeBelow: percent.optional(),
  dora: z
    .strictObject({
      referenceDays: z.number(expecting('a whole number of days from 1 to 400')).int().min(1).max(400).optional(),
      clients: z.strictObject({ share: percent.optional(), absolute: wholeCount.optional() }).optional(),
      transactions: z.strictObject({ share: percent.optional() }).optional(),
      amount: z.strictObject({ share: percent.optional() }).optional(),
      duration: durationMinutes.optional(),
      downtime: durationMinutes.optional(),
      economicImpact: z
        .strictObject({
          amount: z.number(expecting('an amount greater than 0')).gt(0),
          currency: z.string(expecting('a three-letter ISO 4217 currency code such as EUR')).regex(/^[A-Z]{3}$/),
        })
        .optional(),
      recurringWithin: durationMinutes.optional(),
    })
    .optional(),
});

export const JourneySchema = z.strictObject({
  name,
  displayName: text.optional(),
  description: z.string(expecting('a string')).optional(),
  tier: name.optional(),
  owner: text.optional(),
  value: JourneyValueSchema.optional(),
  /** Shown on the public status page (docs/public-page.md ("Which journeys")). */
  public: z.boolean(expecting('true or false')).optional(),
  /** The journey's name for customers on the public page; default its displayName. */
  publicName: text.optional(),
  steps: z.array(StepSchema, expecting('a list of at least one step')).min(1),
  slos: z.array(SloSchema, expecting('a list of SLOs')).default([]),
  regulation: JourneyRegulationSchema.optional(),
});

export const ServiceSchema = z.strictObject({ name: text, owner: text.optional(), tier: name.optional() });

export const AlertingSchema = z.strictObject({
  serviceLabels: z
    .array(text, expecting('a list of at least one label name'))
    .min(1)
    .default([...DEFAULT_SERVICE_LABELS]),
  correlationWindow: durationMinutes.optional(),
  serviceRules: z
    .array(
      z.strictObject({
        match: z
          .record(z.string(), labelMatcher, expecting('a mapping of label → value'))
          .refine((m) => Object.keys(m).length > 0, expecting('at least one label')),
        service: text,
      }),
      expecting('a list of service rules'),
    )
    .default([]),
  windows: z.array(AlertWindowPolicySchema, expecting('a list of alert-window policies, one per SLO period')).optional(),
});

const HOST_WORDS = 'a host name or IP address such as vigil.bank.example (no scheme, no port)';
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/;

/** A DNS name, an IPv4 address or an IPv6 address (bare or in brackets); never a port, scheme or path. */
function isHost(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return isIP(bare) === 6 || (bare === value && HOST_NAME.test(value));
}
const ORIGIN_WORDS = 'an origin such as https://portal.bank.example (scheme, host and optional port, no path)';

/** `scheme://host[:port]` and nothing more: what a browser sends as Origin. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '').toLowerCase();
  } catch {
    return false;
  }
}

/** Who may reach the server from a browser (docs/configuration.md ("server")). */
export const ServerSchema = z.strictObject({
  allowedHosts: z
    .array(z.string(expecting(HOST_WORDS)).refine(isHost, expecting(HOST_WORDS)), expecting(`a list of ${HOST_WORDS.split(' such')[0]}s`))
    .optional(),
  allowedOrigins: z
    .array(z.string(expecting(ORIGIN_WORDS)).refine(isOrigin, expecting(ORIGIN_WORDS)), expecting('a list of origins'))
    .optional(),
});

const POLICY_ALERTS = ['page', 'ticket'];

/** `policy` (docs/release.md ("Budget policy")): states by remaining budget, and what the gate denies or warns on. */
export const PolicySchema = z
  .strictObject({
    states: z
      .array(
        z.strictObject({
          name,
          minRemaining: z.number(expecting('a number such as 0.25 (a share of the budget; negative: overspent)')).optional(),
        }),
        expecting('a list of at least one state'),
      )
      .min(1)
      .optional(),
    gate: z
      .strictObject({
        deny: z.array(name, expecting('a list of state names, page or ticket')).default([]),
        warn: z.array(name, expecting('a list of state names, page or ticket')).default([]),
      })
      .optional(),
  })
  .superRefine((policy, ctx) => {
    const states = (policy.states ?? [{ name: 'healthy' }, { name: 'caution' }, { name: 'frozen' }]).map((s) => s.name);
    policy.states?.forEach((state, i) => {
      if (states.indexOf(state.name) !== i)
        ctx.addIssue({ code: 'custom', path: ['states', i, 'name'], message: `state '${state.name}' is listed twice` });
    });
    for (const list of ['deny', 'warn'] as const) {
      policy.gate?.[list].forEach((entry, i) => {
        if (!states.includes(entry) && !POLICY_ALERTS.includes(entry)) {
          ctx.addIssue({
            code: 'custom',
            path: ['gate', list, i],
            message: `'${entry}' is neither a policy state (${states.join(', ')}) nor page or ticket`,
          });
        }
      });
    }
  });

/** `deployments` (docs/release.md ("Attribution")). */
export const DeploymentsSchema = z.strictObject({ attributionWindow: durationMinutes.optional() });

const INSTANT_WORDS = 'an RFC 3339 time with a zone such as 2026-11-29T01:00:00Z';
const instant = z.string(expecting(INSTANT_WORDS)).transform((value, ctx) => {
  const ms = parseRfc3339(value);
  if (ms !== undefined) return ms;
  ctx.issues.push({ code: 'custom', input: value, message: `expected ${INSTANT_WORDS}, got '${value}'` });
  return z.NEVER;
});

const every = z.string(expecting("a weekly window such as 'Sun 02:00-04:00'")).transform((value, ctx) => {
  const parsed = parseEvery(value);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', input: value, message: parsed.message });
  return z.NEVER;
});

/** One correction (docs/configuration.md ("corrections")): a one-off interval `from`–`to`, or a weekly window `every`. */
export const CorrectionSchema = z
  .strictObject({
    name,
    journeys: z.array(name, expecting('a list of at least one journey name')).min(1),
    from: instant.optional(),
    to: instant.optional(),
    every: every.optional(),
    reason: text.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.every !== undefined) {
      for (const key of ['from', 'to'] as const) {
        if (c[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `a correction is either weekly (every) or one-off (from, to); remove ${key}`,
          });
      }
      return;
    }
    if (c.from === undefined || c.to === undefined) {
      const missing = c.from === undefined ? 'from' : 'to';
      ctx.addIssue({ code: 'custom', path: [], message: `missing ${missing}; a correction needs from and to, or every` });
      return;
    }
    if (c.to <= c.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  });

/** A keyword of `signals.keywords`: a word or phrase holding at least one letter or digit. */
const signalKeyword = z
  .string(expecting('a word or phrase such as pdf or "card declined"'))
  .max(200)
  .refine((value) => /[\p{L}\p{N}]/u.test(value), expecting('a word or phrase holding at least one letter or digit'));

/** `signals` (docs/signals.md): the spike floor, and per journey the words that map a complaint to it. */
export const SignalsSchema = z.strictObject({
  minSpike: z.number(expecting('a whole number ≥ 1 of signals in an hour')).int().min(1).optional(),
  keywords: z
    .record(name, z.array(signalKeyword, expecting('a list of words or phrases')).min(1), expecting('a mapping of journey name → keywords'))
    .optional(),
});

const PROBE_DURATION_WORDS = 'a duration such as 30s, 1m or 2h';
const PROBE_DURATION = /^([1-9][0-9]{0,6})(s|m|h)$/;
const PROBE_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A probe interval or timeout (`10s`, `1m`, `1h`) in milliseconds, within [min, max]. */
const probeDuration = (minMs: number, maxMs: number, words: string) =>
  z.string(expecting(PROBE_DURATION_WORDS)).transform((value, ctx) => {
    const match = PROBE_DURATION.exec(value);
    const ms = match ? Number(match[1]) * PROBE_UNIT_MS[match[2] as keyof typeof PROBE_UNIT_MS] : Number.NaN;
    if (ms >= minMs && ms <= maxMs) return ms;
    ctx.issues.push({ code: 'custom', input: value, message: `expected ${match ? words : PROBE_DURATION_WORDS}, got '${value}'` });
    return z.NEVER;
  });

const httpUrl = z.string(expecting('an http:// or https:// URL')).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}, expecting('an http:// or https:// URL without credentials'));

const ownerName = z.string(expecting(NAME_WORDS)).regex(NAME_PATTERN);

/** One HTTP probe of `benchmarks.probes` (docs/benchmark.md ("Probes")). */
export const ProbeSchema = z.strictObject({
  name,
  owner: ownerName,
  journey: name,
  url: httpUrl,
  method: z.enum(['GET', 'HEAD'], expecting("'GET' or 'HEAD'")).default('GET'),
  interval: probeDuration(10_000, 86_400_000, 'an interval from 10s to 24h').optional(),
  timeout: probeDuration(1_000, 120_000, 'a timeout from 1s to 120s').optional(),
  expect: z
    .strictObject({
      status: z.number(expecting('an HTTP status from 100 to 599')).int().min(100).max(599).optional(),
      bodyContains: z.string(expecting('a non-empty string')).min(1).max(1000).optional(),
    })
    .optional(),
});

/** One Atlassian Statuspage v2 site of `benchmarks.statusPages` (docs/benchmark.md ("Status pages")). */
export const StatusPageSchema = z.strictObject({
  owner: ownerName,
  url: httpUrl,
  components: z.array(text, expecting('a list of component names')).min(1),
  journey: name,
});

/** `benchmarks` (docs/benchmark.md): probes and competitors' status pages. */
export const BenchmarksSchema = z.strictObject({
  probes: z.array(ProbeSchema, expecting('a list of probes')).default([]),
  statusPages: z.array(StatusPageSchema, expecting('a list of status pages')).default([]),
});

const ATTRIBUTE_WORDS = 'an attribute name such as enduser.id (1 to 255 characters)';
const attributeName = z.string(expecting(ATTRIBUTE_WORDS)).min(1).max(255);

/** One rule of `otel.rules` (docs/opentelemetry.md ("Rules")): what a span must match, and the journey (and step) it then is. */
export const OtelRuleSchema = z.strictObject({
  match: z
    .strictObject({ 'service.name': labelMatcher.optional(), 'span.name': labelMatcher.optional(), 'http.route': labelMatcher.optional() })
    .refine((m) => Object.keys(m).length > 0, { error: 'a rule matches on at least one of service.name, span.name, http.route' }),
  journey: name,
  step: name.optional(),
});

/** `otel` (docs/opentelemetry.md ("Configuration")): rules mapping spans to journeys, and the attributes events are read from. */
export const OtelSchema = z.strictObject({
  rules: z.array(OtelRuleSchema, expecting('a list of rules')).default([]),
  attributes: z
    .strictObject({ customerId: attributeName.optional(), amount: attributeName.optional(), currency: attributeName.optional() })
    .optional(),
});

/** `sources.prometheus` (docs/configuration.md ("sources")): where SLIs of kind `prometheus` are read. */
export const PrometheusSourceSchema = z.strictObject({
  url: httpUrl,
  bearerTokenEnv: z
    .string(expecting('the name of an environment variable such as PROMETHEUS_TOKEN'))
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  timeout: probeDuration(1_000, 120_000, 'a timeout from 1s to 120s').optional(),
  settle: durationMinutes.refine((m) => m <= 60, expecting('a settle delay from 1m to 60m')).optional(),
  step: z.literal('1m', expecting("'1m' (Vigil reads one point per minute)")).optional(),
});

/** `sources` (docs/configuration.md ("sources")): external SLI sources. */
export const SourcesSchema = z.strictObject({ prometheus: PrometheusSourceSchema.optional() });

/** One vigil.yaml file; a directory of them is merged after each file validates on its own. */
export const ConfigFileSchema = z.strictObject({
  version: z.literal('vigil/v1', expecting("'vigil/v1'")),
  defaults: z.strictObject({ timezone: timezone.default('UTC') }).optional(),
  tiers: z.record(name, z.strictObject({ objective }), expecting('a mapping of tier name → { objective }')).optional(),
  services: z.array(ServiceSchema, expecting('a list of services')).optional(),
  journeys: z.array(JourneySchema, expecting('a list of journeys')).optional(),
  alerting: AlertingSchema.optional(),
  retention: z
    .strictObject({
      rawEvents: durationMinutes.optional(),
      signals: durationMinutes.optional(),
      probes: durationMinutes.optional(),
      alerts: durationMinutes.optional(),
      incidents: durationMinutes.optional(),
      outbox: durationMinutes.optional(),
    })
    .optional(),
  ingest: z.strictObject({ maxBodyBytes: z.number(expecting('a positive whole number of bytes')).int().positive().optional() }).optional(),
  notifications: NotificationsSchema.optional(),
  server: ServerSchema.optional(),
  policy: PolicySchema.optional(),
  deployments: DeploymentsSchema.optional(),
  corrections: z.array(CorrectionSchema, expecting('a list of corrections')).optional(),
  signals: SignalsSchema.optional(),
  benchmarks: BenchmarksSchema.optional(),
  otel: OtelSchema.optional(),
  regulation: RegulationSchema.optional(),
  sources: SourcesSchema.optional(),
});

export type ConfigFile = z.output<typeof ConfigFileSchema>;
export type JourneyFile = z.output<typeof JourneySchema>;

export type { PathProblem } from './zod-problems.js';

export type SchemaResult = { ok: true; value: ConfigFile } | { ok: false; problems: PathProblem[] };

/**
 * Validates one parsed YAML document against the file schema, one problem per offending node.
 * @example parseConfigFile({ version: 'vigil/v1' }) // { ok: true, value: { version: 'vigil/v1' } }
 */
export function parseConfigFile(data: unknown): SchemaResult {
  return schemaProblems(ConfigFileSchema, data);
}
