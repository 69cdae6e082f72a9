/**
 * DORA major-incident classification as pure rules (docs/dora.md): the criteria of Commission Delegated Regulation (EU)
 * 2024/1772 held against what Vigil measured and what a person flagged, the decision with its reason in words
 * (Art. 8(1)), recurring incidents (Art. 8(2)) and the reporting clocks. Vigil prepares; a person decides and submits.
 */
import { wallTime, zonedTimeToUtc } from '../engine/timezone.js';
import { type Money, money, sumByCurrency } from '../model/money.js';
import type { DoraThresholds, RegulatoryFlag, RegulatoryFlagName } from '../model/regulation.js';
import { formatCount, listNames } from './reason.js';

export type CriterionKey =
  | 'criticalService'
  | 'clientsAndTransactions'
  | 'reputational'
  | 'durationAndDowntime'
  | 'geographical'
  | 'dataLosses'
  | 'economic';

/** The six thresholds of Art. 9 that Art. 8(1) counts, in the order of the article. */
export const THRESHOLD_KEYS = [
  'clientsAndTransactions',
  'reputational',
  'durationAndDowntime',
  'geographical',
  'dataLosses',
  'economic',
] as const;
export type ThresholdKey = (typeof THRESHOLD_KEYS)[number];

/**
 * `met`: the threshold is exceeded; `not_met`: it is not, on what is known; `needs_person`: not by what Vigil measured, and a
 * person's judgement is missing.
 */
export type CriterionStatus = 'met' | 'not_met' | 'needs_person';

export const CRITERIA: Readonly<Record<CriterionKey, { article: string; title: string }>> = {
  criticalService: { article: 'Art. 6', title: 'Critical service affected' },
  clientsAndTransactions: { article: 'Art. 9(1)', title: 'Clients and transactions' },
  reputational: { article: 'Art. 9(2)', title: 'Reputational impact' },
  durationAndDowntime: { article: 'Art. 9(3)', title: 'Duration and service downtime' },
  geographical: { article: 'Art. 9(4)', title: 'Geographical spread' },
  dataLosses: { article: 'Art. 9(5)', title: 'Data losses' },
  economic: { article: 'Art. 9(6)', title: 'Economic impact' },
};

/** An hour in which a journey's complaints spiked (docs/signals.md ("Spikes")). */
export interface ComplaintSpike {
  /** Start of the hour, epoch ms. */
  hourFrom: number;
  count: number;
  baseline: number;
}

/** What Vigil measured on one journey of the incident (docs/dora.md ("How each figure is measured")). */
export interface JourneyMeasurement {
  journey: string;
  /** `regulation.critical` of the journey (default: tier critical). */
  critical: boolean;
  /** Days of the reference period that hold any event of the journey; the daily figures are means over them. */
  referenceDays: number;
  /** Mean distinct customers a day; null without a reference day. */
  customersPerDay: number | null;
  /** Mean attempts a day; null without a reference day. */
  transactionsPerDay: number | null;
  /** Mean amount of the attempts a day, per currency. */
  amountPerDay: Money[];
  /** Distinct customers with a failure of the journey (any step) in the window. */
  customersFailed: number;
  /** Failed attempts in the window. */
  transactionsFailed: number;
  /** Amount of the failed attempts, per currency. */
  amountFailed: Money[];
  /** Minutes of the window in which the journey's success rate was below `regulation.downtimeBelow`. */
  downtimeMinutes: number;
  /** Distinct `attributes.country` among the journey's failures in the window; empty when none carries one. */
  countries: string[];
  /** The first hour of the window in which the journey's complaints spiked, or null. */
  complaintSpike: ComplaintSpike | null;
}

/** Everything the rules read, for one incident (or several recurring ones taken together). */
export interface DoraInput {
  /** The measured span, epoch ms [from, to): the journeys' figures are counted over it. */
  window: { from: number; to: number };
  /** The reference period before it, epoch ms [from, to). */
  reference: { from: number; to: number };
  journeys: JourneyMeasurement[];
  /** First failure (or opening) to resolution, or to now while open, in minutes. */
  durationMinutes: number;
  /** Value lost by the incident's failures (docs/alerting.md ("What an incident keeps")), per currency. */
  valueLost: Money[];
  /** The person flags as last set. */
  flags: Partial<Record<RegulatoryFlagName, RegulatoryFlag>>;
}

/** One measured figure and how it was measured, so that every number of the report can be traced. */
export interface Figure {
  key: string;
  journey: string | null;
  unit: 'customers' | 'transactions' | 'money' | 'minutes' | 'countries' | 'signals' | 'ratio' | 'journeys';
  /** A count or ratio (null: not measurable), a list of amounts, or a list of names. */
  value: number | null | Money[] | string[];
  measuredAs: string;
}

export interface Criterion {
  key: CriterionKey;
  article: string;
  title: string;
  status: CriterionStatus;
  /** What was found, in words. */
  summary: string;
  /** The threshold, in words. */
  threshold: string;
  figures: Figure[];
  /** The person flags this criterion reads. */
  flags: RegulatoryFlag[];
}

export interface DoraDecision {
  major: boolean;
  /** Why it is major; null when it is not. */
  basis: 'thresholds' | 'recurring' | null;
  /** The decision in words. */
  reason: string;
  criticalService: boolean;
  /** Thresholds met, of the six. */
  thresholdsMet: ThresholdKey[];
  /** Criteria that wait for a person's judgement. */
  needsPerson: CriterionKey[];
}

export interface DoraAssessment {
  criteria: Criterion[];
  decision: DoraDecision;
}

const EPSILON = 1e-9;
/** Strictly over: `value` > `limit`, forgiving only the float noise of a share times a mean. */
const over = (value: number, limit: number): boolean => value - limit > EPSILON * Math.max(1, Math.abs(limit));

const exact = new Map<string, Intl.NumberFormat>();
/**
 * An exact amount, for a regulator: every minor unit shown.
 * @example exactMoney({ amount: 100000, currency: 'EUR' }) // '€100,000.00'
 */
export function exactMoney(m: Money): string {
  let format = exact.get(m.currency);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency: m.currency });
    exact.set(m.currency, format);
  }
  return format.format(m.amount);
}

const percent = (share: number): string => `${Number((share * 100).toPrecision(6))}%`;
const ratioText = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * Minutes as "2 h 05 min", "45 min", "3 d 4 h".
 * @example minutesText(125) // '2 h 05 min'
 */
export function minutesText(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 2880) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}

const span = (w: { from: number; to: number }): string => `${new Date(w.from).toISOString()} – ${new Date(w.to).toISOString()}`;

function flagOf(input: DoraInput, name: RegulatoryFlagName): RegulatoryFlag | null {
  const flag = input.flags[name];
  return flag && flag.value !== null ? flag : null;
}

const byWhom = (flag: RegulatoryFlag): string => `flagged by ${flag.setBy ?? 'an unnamed person'} at ${new Date(flag.setAt).toISOString()}`;

function criterion(key: CriterionKey, rest: Omit<Criterion, 'key' | 'article' | 'title'>): Criterion {
  return { key, ...CRITERIA[key], ...rest };
}

function criticalService(input: DoraInput): Criterion {
  const critical = input.journeys.filter((j) => j.critical).map((j) => j.journey);
  const others = input.journeys.filter((j) => !j.critical).map((j) => j.journey);
  return criterion('criticalService', {
    status: critical.length > 0 ? 'met' : 'not_met',
    summary:
      critical.length > 0
        ? `${listNames(critical)} ${critical.length === 1 ? 'is a critical service' : 'are critical services'}`
        : input.journeys.length === 0
          ? 'the incident touches no journey'
          : `${listNames(others)} ${others.length === 1 ? 'is' : 'are'} not marked critical`,
    threshold: 'a journey marked regulation.critical (default: tier critical) is affected; required for major',
    figures: [
      {
        key: 'criticalJourneys',
        journey: null,
        unit: 'journeys',
        value: critical,
        measuredAs: "the incident's journeys whose regulation.critical is true (default: tier critical)",
      },
    ],
    flags: [],
  });
}

function clientsAndTransactions(input: DoraInput, t: DoraThresholds): Criterion {
  const figures: Figure[] = [];
  const found: string[] = [];
  let met = false;
  let unmeasurable = false;
  const window = span(input.window);
  const reference = `over the ${t.referenceDays} days ${span(input.reference)}`;
  const totalCustomers = input.journeys.reduce((sum, j) => sum + j.customersFailed, 0);
  for (const j of input.journeys) {
    const name = j.journey;
    figures.push(
      {
        key: 'customersFailed',
        journey: name,
        unit: 'customers',
        value: j.customersFailed,
        measuredAs: `distinct customerId among failure events of ${name} (any step), ${window}`,
      },
      {
        key: 'customersPerDay',
        journey: name,
        unit: 'customers',
        value: j.customersPerDay,
        measuredAs: `mean of each day's distinct customerId among ${name}'s events, ${reference} (${j.referenceDays} days with events)`,
      },
      {
        key: 'transactionsFailed',
        journey: name,
        unit: 'transactions',
        value: j.transactionsFailed,
        measuredAs: `failed attempts of ${name} (whole-journey events, else its last step), ${window}`,
      },
      {
        key: 'transactionsPerDay',
        journey: name,
        unit: 'transactions',
        value: j.transactionsPerDay,
        measuredAs: `mean attempts a day of ${name} (every outcome), ${reference} (${j.referenceDays} days with events)`,
      },
      {
        key: 'amountFailed',
        journey: name,
        unit: 'money',
        value: j.amountFailed,
        measuredAs: `sum of the amount of ${name}'s failed attempts, per currency, ${window}`,
      },
      {
        key: 'amountPerDay',
        journey: name,
        unit: 'money',
        value: j.amountPerDay,
        measuredAs: `mean amount a day of ${name}'s attempts (every outcome), per currency, ${reference}`,
      },
    );
    if (j.customersPerDay !== null && j.customersPerDay > 0) {
      const share = j.customersFailed / j.customersPerDay;
      figures.push({ key: 'customersShare', journey: name, unit: 'ratio', value: share, measuredAs: 'customersFailed ÷ customersPerDay' });
      if (over(j.customersFailed, t.clientsShare * j.customersPerDay)) {
        met = true;
        found.push(
          `${formatCount(j.customersFailed)} customers failed on ${name}, ${ratioText(share)} of ${oneDecimal.format(j.customersPerDay)} a day`,
        );
      }
    } else if (j.customersFailed > 0) unmeasurable = true;
    if (j.transactionsPerDay !== null && j.transactionsPerDay > 0) {
      const share = j.transactionsFailed / j.transactionsPerDay;
      figures.push({
        key: 'transactionsShare',
        journey: name,
        unit: 'ratio',
        value: share,
        measuredAs: 'transactionsFailed ÷ transactionsPerDay',
      });
      if (over(j.transactionsFailed, t.transactionsShare * j.transactionsPerDay)) {
        met = true;
        found.push(
          `${formatCount(j.transactionsFailed)} failed transactions on ${name}, ${ratioText(share)} of ${oneDecimal.format(j.transactionsPerDay)} a day`,
        );
      }
    } else if (j.transactionsFailed > 0) unmeasurable = true;
    for (const failed of j.amountFailed) {
      const daily = j.amountPerDay.find((m) => m.currency === failed.currency);
      if (!daily || daily.amount <= 0) {
        unmeasurable = true;
        continue;
      }
      if (over(failed.amount, t.amountShare * daily.amount)) {
        met = true;
        found.push(`${exactMoney(failed)} failed on ${name}, ${ratioText(failed.amount / daily.amount)} of ${exactMoney(daily)} a day`);
      }
    }
  }
  if (over(totalCustomers, t.clientsAbsolute)) {
    met = true;
    found.unshift(`${formatCount(totalCustomers)} customers failed, more than ${formatCount(t.clientsAbsolute)}`);
  }
  const largest = [...input.journeys].sort((a, b) => b.customersFailed - a.customersFailed)[0];
  const status: CriterionStatus = met ? 'met' : unmeasurable ? 'needs_person' : 'not_met';
  const summary = met
    ? found.join('; ')
    : largest === undefined
      ? 'no journey to measure'
      : `${formatCount(totalCustomers)} customers and ${formatCount(input.journeys.reduce((s, j) => s + j.transactionsFailed, 0))} transactions failed` +
        (unmeasurable
          ? '; no daily reference for part of them, so a person must judge the share'
          : ', under every share of the daily reference');
  return criterion('clientsAndTransactions', {
    status,
    summary,
    threshold:
      `customers failed > ${percent(t.clientsShare)} of the journey's daily customers or > ${formatCount(t.clientsAbsolute)}; ` +
      `failed transactions > ${percent(t.transactionsShare)} of its daily count; their amount > ${percent(t.amountShare)} of its daily amount`,
    figures,
    flags: [],
  });
}

function reputational(input: DoraInput): Criterion {
  const spikes = input.journeys.filter((j) => j.complaintSpike !== null);
  const flag = flagOf(input, 'reputational');
  const figures: Figure[] = input.journeys.map((j) => ({
    key: 'complaintSpike',
    journey: j.journey,
    unit: 'signals',
    value: j.complaintSpike?.count ?? null,
    measuredAs: j.complaintSpike
      ? `customer signals of ${j.journey} in the hour from ${new Date(j.complaintSpike.hourFrom).toISOString()}, against a baseline of ` +
        `${oneDecimal.format(j.complaintSpike.baseline)} (docs/signals.md, spike rule), ${span(input.window)}`
      : `no hour of ${span(input.window)} in which ${j.journey}'s customer signals spiked`,
  }));
  const spikeWords = spikes.map((j) => `complaints about ${j.journey} spiked to ${formatCount(j.complaintSpike!.count)} in an hour`);
  const met = spikes.length > 0 || flag?.value === true;
  return criterion('reputational', {
    status: met ? 'met' : 'not_met',
    summary: met
      ? [...spikeWords, ...(flag?.value === true ? [`reputational impact ${byWhom(flag)}`] : [])].join('; ')
      : `no complaint spike during the incident${flag?.value === false ? `; no reputational impact, ${byWhom(flag)}` : ''}`,
    threshold: 'a complaint spike on the journey during the incident, or a person flags reputational impact',
    figures,
    flags: flag ? [flag] : [],
  });
}

function durationAndDowntime(input: DoraInput, t: DoraThresholds): Criterion {
  const downtime = Math.max(0, ...input.journeys.map((j) => j.downtimeMinutes));
  const durationMet = over(input.durationMinutes, t.durationMinutes);
  const downtimeMet = over(downtime, t.downtimeMinutes);
  const parts = [
    `lasted ${minutesText(input.durationMinutes)}${durationMet ? `, longer than ${minutesText(t.durationMinutes)}` : ''}`,
    `downtime ${minutesText(downtime)}${downtimeMet ? `, longer than ${minutesText(t.downtimeMinutes)}` : ''}`,
  ];
  return criterion('durationAndDowntime', {
    status: durationMet || downtimeMet ? 'met' : 'not_met',
    summary: parts.join('; '),
    threshold: `the incident lasts longer than ${minutesText(t.durationMinutes)}, or downtime exceeds ${minutesText(t.downtimeMinutes)}`,
    figures: [
      {
        key: 'durationMinutes',
        journey: null,
        unit: 'minutes',
        value: input.durationMinutes,
        measuredAs: "from the incident's first failure (else its opening) to its resolution, or to now while open",
      },
      ...input.journeys.map(
        (j): Figure => ({
          key: 'downtimeMinutes',
          journey: j.journey,
          unit: 'minutes',
          value: j.downtimeMinutes,
          measuredAs: `minutes of ${span(input.window)} in which ${j.journey}'s success rate (attempts) was below regulation.downtimeBelow`,
        }),
      ),
    ],
    flags: [],
  });
}

function geographical(input: DoraInput): Criterion {
  const countries = [...new Set(input.journeys.flatMap((j) => j.countries))].sort();
  const flag = flagOf(input, 'geographical');
  const measured = countries.length > 0;
  const met = countries.length >= 2 || flag?.value === true;
  const status: CriterionStatus = met ? 'met' : measured || flag !== null ? 'not_met' : 'needs_person';
  const found = measured
    ? `failures in ${countries.length} ${countries.length === 1 ? 'country' : 'countries'} (${countries.join(', ')})`
    : null;
  return criterion('geographical', {
    status,
    summary: [
      found ?? 'no failure event carries attributes.country',
      ...(flag ? [`${flag.value === true ? 'spread to two or more Member States' : 'no wider spread'}, ${byWhom(flag)}`] : []),
      ...(status === 'needs_person' ? ['a person must say whether two or more Member States were affected'] : []),
    ].join('; '),
    threshold: 'failures in two or more countries (attributes.country), or a person flags the spread',
    figures: [
      {
        key: 'countries',
        journey: null,
        unit: 'countries',
        value: countries,
        measuredAs: `distinct attributes.country among failure events of the incident's journeys, ${span(input.window)}`,
      },
    ],
    flags: flag ? [flag] : [],
  });
}

function dataLosses(input: DoraInput): Criterion {
  const flag = flagOf(input, 'dataLoss');
  return criterion('dataLosses', {
    status: flag === null ? 'needs_person' : flag.value === true ? 'met' : 'not_met',
    summary:
      flag === null
        ? 'Vigil cannot see data losses: a person must say whether any occurred'
        : `${flag.value === true ? 'data losses' : 'no data losses'}, ${byWhom(flag)}`,
    threshold: 'any loss of availability, authenticity, integrity or confidentiality of data (a person decides); alone enough for major',
    figures: [],
    flags: flag ? [flag] : [],
  });
}

function economic(input: DoraInput, t: DoraThresholds): Criterion {
  const limit = t.economicImpact;
  const measured = input.valueLost.find((m) => m.currency === limit.currency) ?? money(0, limit.currency);
  const unconverted = input.valueLost.filter((m) => m.currency !== limit.currency);
  const flag = flagOf(input, 'otherCosts');
  const other = flag && typeof flag.value === 'object' && flag.value !== null ? (flag.value as Money) : null;
  const total = money(measured.amount + (other?.currency === limit.currency ? other.amount : 0), limit.currency);
  const met = over(total.amount, limit.amount);
  const status: CriterionStatus = met ? 'met' : other === null || unconverted.length > 0 ? 'needs_person' : 'not_met';
  const words = [`value lost ${exactMoney(measured)}`];
  if (other) words.push(`other costs ${exactMoney(other)}, ${byWhom(flag!)}`);
  if (unconverted.length > 0) words.push(`${unconverted.map(exactMoney).join(' + ')} lost in other currencies, not converted`);
  words.push(`${exactMoney(total)} in all${met ? `, more than ${exactMoney(limit)}` : ''}`);
  if (status === 'needs_person')
    words.push(other === null ? 'a person must add the costs Vigil cannot see' : 'a person must convert the other currencies');
  return criterion('economic', {
    status,
    summary: words.join('; '),
    threshold: `costs and losses > ${exactMoney(limit)} (Vigil's value lost, plus the other costs a person adds)`,
    figures: [
      {
        key: 'valueLost',
        journey: null,
        unit: 'money',
        value: input.valueLost,
        measuredAs:
          "the incident's value lost: failures at its stages × value per success, or failed amounts × fee rate (docs/alerting.md)",
      },
    ],
    flags: flag ? [flag] : [],
  });
}

/**
 * The criteria and the decision for one incident (Art. 8(1)): major when a critical service is affected and the
 * data-loss threshold, or two or more of the six thresholds, are met.
 * @example classifyDora(input, DEFAULT_DORA_THRESHOLDS).decision.reason // 'Major: sepa-instant is a critical service, and 2 of 6 thresholds are met: …'
 */
export function classifyDora(input: DoraInput, thresholds: DoraThresholds): DoraAssessment {
  const criteria = [
    criticalService(input),
    clientsAndTransactions(input, thresholds),
    reputational(input),
    durationAndDowntime(input, thresholds),
    geographical(input),
    dataLosses(input),
    economic(input, thresholds),
  ];
  return { criteria, decision: decide(criteria) };
}

const titleOf = (c: Criterion): string => CRITERIA[c.key].title.toLowerCase();

function decide(criteria: readonly Criterion[]): DoraDecision {
  const get = (key: CriterionKey) => criteria.find((c) => c.key === key)!;
  const critical = get('criticalService');
  const thresholds = THRESHOLD_KEYS.map(get);
  const met = thresholds.filter((c) => c.status === 'met');
  const needsPerson = criteria.filter((c) => c.status === 'needs_person');
  const metKeys = met.map((c) => c.key as ThresholdKey);
  const needs = needsPerson.length > 0 ? ` Needs a person: ${listNames(needsPerson.map(titleOf), 6)}.` : '';
  const metWords = met.map((c) => `${titleOf(c)} (${c.summary})`).join('; ');
  const base = { criticalService: critical.status === 'met', thresholdsMet: metKeys, needsPerson: needsPerson.map((c) => c.key) };
  if (critical.status !== 'met') {
    return { ...base, major: false, basis: null, reason: `Not major: no critical service is affected (${critical.summary}).${needs}` };
  }
  const dataLoss = get('dataLosses').status === 'met';
  if (dataLoss || met.length >= 2) {
    const why = met.length >= 2 ? `${met.length} of 6 thresholds are met: ${metWords}` : `data losses are flagged: ${metWords}`;
    return { ...base, major: true, basis: 'thresholds', reason: `Major: ${critical.summary}, and ${why}.${needs}` };
  }
  const count = met.length === 0 ? 'no threshold is met' : `1 of 6 thresholds is met: ${metWords}`;
  return {
    ...base,
    major: false,
    basis: null,
    reason: `Not major: ${critical.summary}, but ${count}; two thresholds, or data losses, make it major.${needs}`,
  };
}

/** An earlier incident with the same cause, as measured (docs/dora.md ("Recurring incidents")). */
export interface EarlierIncident {
  id: string;
  openedAt: number;
  input: DoraInput;
}

/**
 * Several incidents taken together (Art. 8(2)): per journey their customers, transactions, amounts and downtime add up,
 * countries and spikes join, durations and value lost add up; the reference is the current incident's, and a boolean
 * flag holds when any incident holds it.
 * @example combineIncidents(current, [earlier]).durationMinutes === current.durationMinutes + earlier.durationMinutes
 */
export function combineIncidents(current: DoraInput, earlier: readonly DoraInput[]): DoraInput {
  const all = [current, ...earlier];
  const journeys = current.journeys.map((j) => {
    const same = earlier.flatMap((e) => e.journeys.filter((x) => x.journey === j.journey));
    return {
      ...j,
      customersFailed: j.customersFailed + same.reduce((s, x) => s + x.customersFailed, 0),
      transactionsFailed: j.transactionsFailed + same.reduce((s, x) => s + x.transactionsFailed, 0),
      amountFailed: sumByCurrency([...j.amountFailed, ...same.flatMap((x) => x.amountFailed)]),
      downtimeMinutes: j.downtimeMinutes + same.reduce((s, x) => s + x.downtimeMinutes, 0),
      countries: [...new Set([...j.countries, ...same.flatMap((x) => x.countries)])].sort(),
      complaintSpike: j.complaintSpike ?? same.find((x) => x.complaintSpike !== null)?.complaintSpike ?? null,
    };
  });
  const flags = { ...current.flags };
  for (const name of ['dataLoss', 'reputational', 'geographical'] as const) {
    const yes = all.map((i) => i.flags[name]).find((f) => f?.value === true);
    if (yes) flags[name] = yes;
  }
  const costs = all.map((i) => i.flags.otherCosts).filter((f): f is RegulatoryFlag => f?.value != null && typeof f.value === 'object');
  if (costs.length > 1) {
    const [first] = costs;
    const summed = sumByCurrency(costs.map((f) => f.value as Money));
    if (summed.length === 1) flags.otherCosts = { ...first!, value: summed[0]!, note: `sum of ${costs.length} incidents' other costs` };
  }
  return {
    window: { from: Math.min(...all.map((i) => i.window.from)), to: current.window.to },
    reference: current.reference,
    journeys,
    durationMinutes: all.reduce((s, i) => s + i.durationMinutes, 0),
    valueLost: sumByCurrency(all.flatMap((i) => i.valueLost)),
    flags,
  };
}

export interface RecurringFinding {
  /** The cause key the incidents share. */
  cause: string;
  /** Earlier incidents of the same cause within `recurringWithin`, not major on their own, oldest first. */
  incidents: { id: string; openedAt: number }[];
  /** The assessment of all of them together. */
  together: DoraAssessment;
}

/**
 * The recurring rule (Art. 8(2)): an incident not major on its own is major when, with the earlier incidents of the
 * same cause within `recurringWithin` that were not major either, together they meet the conditions of Art. 8(1).
 * Returns the assessment to show: the incident's own, or the recurring one when that makes it major.
 */
export function withRecurring(
  own: DoraAssessment,
  current: DoraInput,
  cause: string,
  earlier: readonly EarlierIncident[],
  thresholds: DoraThresholds,
): { assessment: DoraAssessment; recurring: RecurringFinding | null } {
  if (own.decision.major || earlier.length === 0) return { assessment: own, recurring: null };
  const sorted = [...earlier].sort((a, b) => a.openedAt - b.openedAt);
  const together = classifyDora(
    combineIncidents(
      current,
      sorted.map((e) => e.input),
    ),
    thresholds,
  );
  const recurring: RecurringFinding = { cause, incidents: sorted.map((e) => ({ id: e.id, openedAt: e.openedAt })), together };
  if (!together.decision.major) return { assessment: own, recurring };
  const ids = listNames(
    sorted.map((e) => e.id),
    5,
  );
  const reason =
    `Major (recurring, Art. 8(2)): not major on its own, but with ${sorted.length} earlier incident${sorted.length === 1 ? '' : 's'} ` +
    `of the same cause (${cause}: ${ids}) ${together.decision.reason.replace(/^Major: /, 'together: ')}`;
  return {
    assessment: { criteria: own.criteria, decision: { ...together.decision, basis: 'recurring', reason } },
    recurring,
  };
}

/**
 * The cause key of an incident for the recurring rule: a person's `cause` flag when set, else its first journey and
 * the service of its first alert (`journey/service`), or the journey alone when no alert names a service.
 * @example causeKey({ journeys: ['sepa-instant'], services: ['sepa-gateway'] }, null) // 'sepa-instant/sepa-gateway'
 */
export function causeKey(
  incident: { journeys: readonly string[]; services: readonly string[] },
  flag: RegulatoryFlag | null | undefined,
): string {
  if (flag && typeof flag.value === 'string' && flag.value.trim() !== '') return flag.value.trim();
  const journey = incident.journeys[0] ?? '-';
  const service = incident.services[0];
  return service === undefined ? journey : `${journey}/${service}`;
}

export type ReportKind = 'initial' | 'intermediate' | 'final';

export interface ReportClock {
  report: ReportKind;
  dueAt: number;
  /** When a person recorded its submission, or null. */
  submittedAt: number | null;
  state: 'due' | 'overdue' | 'submitted' | 'submitted_late';
  /** The rule that set the deadline, in words. */
  rule: string;
}

const HOUR_MS = 3_600_000;
export const INITIAL_AFTER_CLASSIFICATION_MS = 4 * HOUR_MS;
export const INITIAL_AFTER_DETECTION_MS = 24 * HOUR_MS;
export const INTERMEDIATE_AFTER_INITIAL_MS = 72 * HOUR_MS;

/**
 * The same wall-clock time one calendar month later in `timeZone` (31 January → the last day of February).
 * @example addMonthIn(Date.parse('2026-01-31T10:00:00Z'), 'UTC') === Date.parse('2026-02-28T10:00:00Z')
 */
export function addMonthIn(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const year = w.month === 12 ? w.year + 1 : w.year;
  const month = w.month === 12 ? 1 : w.month + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const rest = w.second * 1000 + (((ms % 1000) + 1000) % 1000);
  return zonedTimeToUtc(year, month, Math.min(w.day, lastDay), w.hour, w.minute, timeZone) + rest;
}

/**
 * The reporting clocks of a major incident: the initial notification within 4 h of classification and no later than
 * 24 h after detection; the intermediate report within 72 h of the initial notification (its submission, else its
 * deadline); the final report within one month (in `timeZone`) of the intermediate one.
 * @example reportingClocks(detectedAt, classifiedAt, {}, 'Europe/Berlin', now)[0].dueAt === Math.min(classifiedAt + 4 * 3_600_000, detectedAt + 24 * 3_600_000)
 */
export function reportingClocks(
  detectedAt: number,
  classifiedAt: number,
  submitted: Partial<Record<ReportKind, number>>,
  timeZone: string,
  now: number,
): ReportClock[] {
  const byClassification = classifiedAt + INITIAL_AFTER_CLASSIFICATION_MS;
  const byDetection = detectedAt + INITIAL_AFTER_DETECTION_MS;
  const initialDue = Math.min(byClassification, byDetection);
  const initialFrom = submitted.initial ?? initialDue;
  const intermediateDue = initialFrom + INTERMEDIATE_AFTER_INITIAL_MS;
  const finalDue = addMonthIn(submitted.intermediate ?? intermediateDue, timeZone);
  const clock = (report: ReportKind, dueAt: number, rule: string): ReportClock => {
    const at = submitted[report] ?? null;
    const state = at !== null ? (at > dueAt ? 'submitted_late' : 'submitted') : now > dueAt ? 'overdue' : 'due';
    return { report, dueAt, submittedAt: at, state, rule };
  };
  return [
    clock(
      'initial',
      initialDue,
      byClassification <= byDetection ? '4 h after classification' : '24 h after detection (sooner than 4 h after classification)',
    ),
    clock(
      'intermediate',
      intermediateDue,
      submitted.initial !== undefined ? '72 h after the initial notification was submitted' : '72 h after the initial notification is due',
    ),
    clock(
      'final',
      finalDue,
      submitted.intermediate !== undefined
        ? 'one month after the intermediate report was submitted'
        : 'one month after the intermediate report is due',
    ),
  ];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A deadline as people read it in `timeZone`: "14:32" on the same local day as `relativeTo`, "14:32 on 4 Dec" on
 * another day of the same year, "14:32 on 4 Jan 2027" in another year.
 * @example dueText(Date.parse('2026-12-03T13:32:00Z'), 'Europe/Berlin', Date.parse('2026-12-03T10:00:00Z')) // '14:32'
 */
export function dueText(dueAt: number, timeZone: string, relativeTo: number): string {
  const due = wallTime(dueAt, timeZone);
  const ref = wallTime(relativeTo, timeZone);
  const time = `${String(due.hour).padStart(2, '0')}:${String(due.minute).padStart(2, '0')}`;
  if (due.year === ref.year && due.month === ref.month && due.day === ref.day) return time;
  return `${time} on ${due.day} ${MONTHS[due.month - 1]}${due.year === ref.year ? '' : ` ${due.year}`}`;
}

/**
 * The one line a notification and the CLI carry for a major incident: the next report due, or that all are submitted.
 * @example doraLine(clocks, 'Europe/Berlin', now) // 'DORA: major — initial notification due by 14:32'
 */
export function doraLine(clocks: readonly ReportClock[], timeZone: string, now: number): string {
  const next = clocks.find((c) => c.submittedAt === null);
  if (!next) return 'DORA: major — every report submitted';
  const what = next.report === 'initial' ? 'initial notification' : `${next.report} report`;
  return `DORA: major — ${what} ${next.state === 'overdue' ? 'overdue since' : 'due by'} ${dueText(next.dueAt, timeZone, now)}`;
}
