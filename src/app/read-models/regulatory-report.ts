/**
 * The regulatory answer of an incident (docs/api.md ("Regulatory report"), docs/dora.md ("The report")): criteria with
 * their figures, the decision, the reporting clocks and the prefilled report, as JSON and as Markdown for people.
 */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { ClockJson, DoraSummaryJson } from '../../api/incidents.js';
import type { CriterionJson, DecisionJson, FigureJson, RegulatoryFlagJson, RegulatoryResponse } from '../../api/regulatory.js';
import {
  type Criterion,
  type DoraDecision,
  doraLine,
  dueText,
  exactMoney,
  type Figure,
  minutesText,
  type ReportClock,
  type ReportKind,
  reportingClocks,
} from '../../incidents/dora.js';
import type { VigilConfig } from '../../model/config.js';
import type { Incident } from '../../model/incident.js';
import { type Money, sumByCurrency } from '../../model/money.js';
import { type Classification, journeyRegulation, REGULATORY_FLAGS, type RegulatoryFlag } from '../../model/regulation.js';
import type { DoraResult } from '../dora.js';

export const REGULATORY_NOTICE =
  'Vigil prepares this classification and report from its own data; a person decides whether the incident is major, completes and submits the report.';

/** The submissions a person recorded, by report. */
export function submissionsOf(flags: readonly RegulatoryFlag[]): Partial<Record<ReportKind, number>> {
  const at = (name: RegulatoryFlag['name']) => {
    const value = flags.find((f) => f.name === name)?.value;
    return typeof value === 'number' ? value : undefined;
  };
  const out: Partial<Record<ReportKind, number>> = {};
  const initial = at('initialSubmittedAt');
  const intermediate = at('intermediateSubmittedAt');
  const final = at('finalSubmittedAt');
  if (initial !== undefined) out.initial = initial;
  if (intermediate !== undefined) out.intermediate = intermediate;
  if (final !== undefined) out.final = final;
  return out;
}

/** The clocks of a classified incident at `now`. */
export function clocksOf(
  incident: Pick<Incident, 'openedAt'>,
  classification: Classification,
  flags: readonly RegulatoryFlag[],
  tz: string,
  now: number,
) {
  return reportingClocks(incident.openedAt, classification.classifiedAt, submissionsOf(flags), tz, now);
}

export function clockJson(clock: ReportClock, tz: string, now: number): ClockJson {
  return {
    report: clock.report,
    dueAt: toInstant(clock.dueAt),
    dueLocal: dueText(clock.dueAt, tz, now),
    submittedAt: toInstantOrNull(clock.submittedAt),
    state: clock.state,
    rule: clock.rule,
  };
}

/**
 * What a list row shows of a classified incident: the line and the next clock.
 * @example doraSummary(incident, classification, [], 'Europe/Berlin', now).line // 'DORA: major — initial notification due by 14:32'
 */
export function doraSummary(
  incident: Pick<Incident, 'openedAt'>,
  classification: Classification,
  flags: readonly RegulatoryFlag[],
  tz: string,
  now: number,
): DoraSummaryJson {
  const clocks = clocksOf(incident, classification, flags, tz, now);
  const next = clocks.find((c) => c.submittedAt === null) ?? null;
  return {
    classifiedAt: toInstant(classification.classifiedAt),
    basis: classification.basis,
    line: doraLine(clocks, tz, now),
    next: next ? clockJson(next, tz, now) : null,
  };
}

export function flagJson(flag: RegulatoryFlag): RegulatoryFlagJson {
  const value = REGULATORY_FLAGS[flag.name] === 'instant' && typeof flag.value === 'number' ? toInstant(flag.value) : flag.value;
  return { name: flag.name, value: value as RegulatoryFlagJson['value'], setBy: flag.setBy, setAt: toInstant(flag.setAt), note: flag.note };
}

/** A figure's id, as the report names it: `criterion/key` or `criterion/key/journey`. */
const figureId = (criterion: string, f: Figure): string => `${criterion}/${f.key}${f.journey === null ? '' : `/${f.journey}`}`;

function criterionJson(c: Criterion): CriterionJson {
  return {
    key: c.key,
    article: c.article,
    title: c.title,
    status: c.status,
    summary: c.summary,
    threshold: c.threshold,
    figures: c.figures.map((f): FigureJson => ({ id: figureId(c.key, f), ...f })),
    flags: c.flags.map(flagJson),
  };
}

export function decisionJson(d: DoraDecision): DecisionJson {
  return {
    major: d.major,
    basis: d.basis,
    reason: d.reason,
    criticalService: d.criticalService,
    thresholdsMet: [...d.thresholdsMet],
    needsPerson: [...d.needsPerson],
  };
}

/**
 * The regulatory answer of an incident at `now` (docs/api.md ("Regulatory report")).
 * @example regulatoryResponse(incident, await classifier.assess(incident, now), config, now).decision.major
 */
export function regulatoryResponse(incident: Incident, result: DoraResult, config: VigilConfig, now: number): RegulatoryResponse {
  const tz = config.defaults.timezone;
  const { input, assessment, classification, recurring, flags } = result;
  const criteria = assessment.criteria.map(criterionJson);
  const figure = (criterion: string, key: string) =>
    criteria.find((c) => c.key === criterion)?.figures.filter((f) => f.key === key) ?? ([] as FigureJson[]);
  const sum = (figures: FigureJson[]) => figures.reduce((s, f) => s + (typeof f.value === 'number' ? f.value : 0), 0);
  const moneyOf = (figures: FigureJson[]): Money[] =>
    sumByCurrency(
      figures.flatMap((f) => (Array.isArray(f.value) ? (f.value as unknown[]).filter((v): v is Money => typeof v === 'object') : [])),
    );
  const ids = (figures: FigureJson[]) => figures.map((f) => f.id);
  const customers = figure('clientsAndTransactions', 'customersFailed');
  const transactions = figure('clientsAndTransactions', 'transactionsFailed');
  const amounts = figure('clientsAndTransactions', 'amountFailed');
  const duration = figure('durationAndDowntime', 'durationMinutes');
  const downtime = figure('durationAndDowntime', 'downtimeMinutes');
  const valueLost = figure('economic', 'valueLost');
  const countries = figure('geographical', 'countries');
  const flag = (name: RegulatoryFlag['name']) => flags.find((f) => f.name === name && f.value !== null);
  const dataLoss = flag('dataLoss');
  const otherCosts = flag('otherCosts');
  const clocks = classification ? clocksOf(incident, classification, flags, tz, now).map((c) => clockJson(c, tz, now)) : [];
  return {
    incident: { id: incident.id, title: incident.title, status: incident.status, priority: incident.priority },
    notice: REGULATORY_NOTICE,
    timezone: tz,
    window: { from: toInstant(input.window.from), to: toInstant(input.window.to) },
    reference: { from: toInstant(input.reference.from), to: toInstant(input.reference.to) },
    criteria,
    decision: decisionJson(assessment.decision),
    classification: classification
      ? { classifiedAt: toInstant(classification.classifiedAt), basis: classification.basis, reason: classification.reason }
      : null,
    clocks,
    recurring: recurring
      ? {
          cause: recurring.cause,
          incidents: recurring.incidents.map((i) => ({ id: i.id, openedAt: toInstant(i.openedAt) })),
          decision: decisionJson(recurring.together.decision),
        }
      : null,
    cause: result.cause,
    report: {
      incidentReference: incident.id,
      title: incident.title,
      detectedAt: toInstant(incident.openedAt),
      occurredAt: toInstant(Math.min(incident.figures?.firstFailureAt ?? incident.openedAt, incident.openedAt)),
      classifiedAt: toInstantOrNull(classification?.classifiedAt ?? null),
      resolvedAt: toInstantOrNull(incident.resolvedAt),
      major: assessment.decision.major,
      recurring: assessment.decision.basis === 'recurring',
      criteriaMet: [...assessment.decision.thresholdsMet],
      journeysAffected: incident.journeys.map((name) => {
        const journey = config.journeys.find((j) => j.name === name);
        return {
          journey: name,
          displayName: journey?.displayName ?? name,
          critical: journey ? journeyRegulation(journey).critical : false,
        };
      }),
      servicesAffected: [...incident.services],
      clientsAffected: { value: sum(customers), figures: ids(customers) },
      transactionsAffected: { value: sum(transactions), figures: ids(transactions) },
      amountsAffected: { value: moneyOf(amounts), figures: ids(amounts) },
      durationMinutes: { value: sum(duration), figures: ids(duration) },
      downtimeMinutes: { value: Math.max(0, ...downtime.map((f) => (typeof f.value === 'number' ? f.value : 0))), figures: ids(downtime) },
      valueLost: { value: moneyOf(valueLost), figures: ids(valueLost) },
      otherCosts: otherCosts && typeof otherCosts.value === 'object' ? (otherCosts.value as Money) : null,
      countries: { value: countries.flatMap((f) => (Array.isArray(f.value) ? (f.value as string[]) : [])), figures: ids(countries) },
      dataLosses: dataLoss ? dataLoss.value === true : null,
      reputationalImpact: assessment.criteria.find((c) => c.key === 'reputational')?.status === 'met',
      timeline: incident.timeline.map((t) => ({ at: toInstant(t.at), kind: t.kind, message: t.message })),
    },
    generatedAt: toInstant(now),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const STATUS_WORDS: Record<CriterionJson['status'], string> = { met: 'met', not_met: 'not met', needs_person: 'needs a person' };

function figureText(f: FigureJson): string {
  if (f.value === null) return '—';
  if (typeof f.value === 'number') {
    if (f.unit === 'ratio') return `${(f.value * 100).toFixed(1)}%`;
    if (f.unit === 'minutes') return minutesText(f.value);
    return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(f.value);
  }
  if (f.value.length === 0) return 'none';
  return f.value.map((v) => (typeof v === 'string' ? v : exactMoney(v))).join(', ');
}

/**
 * The regulatory answer as Markdown for people: the notice, the decision, the clocks, the criteria, the report's fields
 * and every figure with how it was measured.
 * @example regulatoryMarkdown(response).startsWith('# DORA classification: ') // true
 */
export function regulatoryMarkdown(r: RegulatoryResponse): string {
  const rep = r.report;
  const money = (list: readonly Money[]) => (list.length === 0 ? 'none' : list.map(exactMoney).join(' + '));
  const traced = (field: { figures: string[] }) => field.figures.map((id) => `\`${id}\``).join(', ') || '—';
  const lines = [
    `# DORA classification: ${r.incident.title}`,
    '',
    `> ${r.notice}`,
    '',
    `**${r.decision.major ? 'Major' : 'Not major'}.** ${r.decision.reason}`,
    '',
    `Incident ${r.incident.id} (${r.incident.priority}, ${r.incident.status}); measured ${r.window.from} – ${r.window.to}, ` +
      `daily reference ${r.reference.from} – ${r.reference.to}; times in UTC, deadlines also in ${r.timezone}.`,
    '',
  ];
  if (r.classification) {
    lines.push(
      '## Reporting clocks',
      '',
      `Classified major at ${r.classification.classifiedAt} (${r.classification.basis}).`,
      '',
      `| report | due (UTC) | due (${r.timezone}) | state | rule |`,
      '|---|---|---|---|---|',
      ...r.clocks.map(
        (c) =>
          `| ${c.report} | ${c.dueAt} | ${c.dueLocal} | ${c.state.replace('_', ' ')}${c.submittedAt ? ` ${c.submittedAt}` : ''} | ${c.rule} |`,
      ),
      '',
    );
  }
  lines.push(
    '## Criteria',
    '',
    '| article | criterion | status | what was found | threshold |',
    '|---|---|---|---|---|',
    ...r.criteria.map((c) => `| ${c.article} | ${c.title} | ${STATUS_WORDS[c.status]} | ${cell(c.summary)} | ${cell(c.threshold)} |`),
    '',
  );
  if (r.recurring) {
    lines.push(
      '## Recurring incidents (Art. 8(2))',
      '',
      `Cause \`${r.recurring.cause}\`; earlier incidents: ${r.recurring.incidents.map((i) => `${i.id} (${i.openedAt})`).join(', ')}.`,
      '',
      r.recurring.decision.reason,
      '',
    );
  }
  const rows: [string, string, string][] = [
    ['Incident reference', rep.incidentReference, '—'],
    ['Detected', rep.detectedAt, '—'],
    ['Occurred (first failure)', rep.occurredAt, '—'],
    ['Classified', rep.classifiedAt ?? '—', '—'],
    ['Resolved', rep.resolvedAt ?? '—', '—'],
    ['Journeys affected', rep.journeysAffected.map((j) => `${j.displayName}${j.critical ? ' (critical)' : ''}`).join(', ') || '—', '—'],
    ['Services affected', rep.servicesAffected.join(', ') || '—', '—'],
    ['Clients affected', String(rep.clientsAffected.value), traced(rep.clientsAffected)],
    ['Transactions affected', String(rep.transactionsAffected.value), traced(rep.transactionsAffected)],
    ['Amounts affected', money(rep.amountsAffected.value), traced(rep.amountsAffected)],
    ['Duration', minutesText(rep.durationMinutes.value), traced(rep.durationMinutes)],
    ['Downtime', minutesText(rep.downtimeMinutes.value), traced(rep.downtimeMinutes)],
    ['Value lost (measured)', money(rep.valueLost.value), traced(rep.valueLost)],
    ['Other costs (a person)', rep.otherCosts ? exactMoney(rep.otherCosts) : 'not given', '—'],
    ['Countries', rep.countries.value.join(', ') || 'none carried', traced(rep.countries)],
    ['Data losses (a person)', rep.dataLosses === null ? 'not yet judged' : rep.dataLosses ? 'yes' : 'no', '—'],
    ['Reputational impact', rep.reputationalImpact ? 'yes' : 'no', '—'],
  ];
  lines.push(
    '## Report (prefilled)',
    '',
    '| field | value | from figures |',
    '|---|---|---|',
    ...rows.map(([k, v, f]) => `| ${k} | ${cell(v)} | ${f} |`),
    '',
    '## Figures',
    '',
    '| figure | value | measured as |',
    '|---|---|---|',
    ...r.criteria.flatMap((c) => c.figures.map((f) => `| \`${f.id}\` | ${cell(figureText(f))} | ${cell(f.measuredAs)} |`)),
    '',
    '## Timeline',
    '',
    '| at (UTC) | what | |',
    '|---|---|---|',
    ...rep.timeline.map((t) => `| ${t.at} | ${t.kind} | ${cell(t.message)} |`),
    '',
    `Generated ${r.generatedAt} by Vigil.`,
    '',
  );
  return lines.join('\n');
}
