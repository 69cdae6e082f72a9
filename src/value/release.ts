/**
 * The release maths (docs/release.md): a deployment's attribution interval and what it spent of each
 * SLO's budget, the budget-policy state of an SLO, the gate's decision and its margins. Pure.
 */
import { allowedBad } from '../engine/error-budget.js';
import type { MinuteRange } from '../engine/windows.js';
import { MS_PER_MINUTE, minuteOf } from '../model/minutes.js';
import type { GateException, PolicySpec, PolicyState } from '../model/release.js';

/**
 * A deployment's attribution interval in whole minutes (docs/release.md ("Attribution")): from the minute
 * containing startedAt up to, not including, the minute containing the earliest of startedAt + the
 * attribution window, the next deployment affecting the same journey, and now; at least one minute.
 * @example attributionInterval(Date.UTC(2026, 10, 26, 10, 0, 30), null, Date.UTC(2026, 10, 27), 1440) // 24 h of minutes from 10:00
 */
export function attributionInterval(startedAt: number, nextStartedAt: number | null, now: number, windowMinutes: number): MinuteRange {
  const end = Math.min(startedAt + windowMinutes * MS_PER_MINUTE, nextStartedAt ?? Number.POSITIVE_INFINITY, now);
  const fromMinute = minuteOf(startedAt);
  return { fromMinute, toMinute: Math.max(fromMinute + 1, minuteOf(end)) };
}

/** What one deployment spent of one SLO's budget, as shares of the budget (1 = the whole budget). */
export interface BudgetSpend {
  consumed: number | null;
  baseline: number | null;
  excess: number | null;
}

export interface SpendInput {
  objective: number;
  /** Bad and total (events, or slices for timeslice SLOs) in the attribution interval. */
  bad: number;
  total: number;
  /** Total of the SLO window ending at the interval's end (its last minute). */
  windowTotal: number;
  /** Bad and total over the 1,440 minutes before the interval's first minute. */
  beforeBad: number;
  beforeTotal: number;
}

/**
 * consumed = bad ÷ allowed with allowed = (1 − o) × window total; baseline = (before bad ÷ before total)
 * × interval total ÷ allowed; excess = consumed − baseline. Null where a divisor is zero: no window
 * events (nothing allowed) or no events in the 24 hours before (no baseline ratio).
 * @example deploymentSpend({ objective: 99, bad: 30, total: 1000, windowTotal: 10_000, beforeBad: 10, beforeTotal: 2000 })
 *   // { consumed: 0.3, baseline: 0.05, excess: 0.25 }
 */
export function deploymentSpend(input: SpendInput): BudgetSpend {
  const allowed = allowedBad(input.windowTotal, input.objective);
  if (!(allowed > 0)) return { consumed: null, baseline: null, excess: null };
  const consumed = input.bad / allowed;
  if (input.beforeTotal <= 0) return { consumed, baseline: null, excess: null };
  const baseline = ((input.beforeBad / input.beforeTotal) * input.total) / allowed;
  return { consumed, baseline, excess: consumed - baseline };
}

/**
 * The policy state of an SLO: the first state from the top whose minRemaining its remaining budget
 * reaches (a state without minRemaining always matches; the last state when none does).
 * @example policyState(0.1, DEFAULT_POLICY.states) // 'caution'
 */
export function policyState(remaining: number, states: readonly PolicyState[]): string {
  for (const state of states) if (state.minRemaining === undefined || remaining >= state.minRemaining) return state.name;
  return states.at(-1)?.name ?? 'unknown';
}

/**
 * The worst of several states: the one furthest down the policy's list.
 * @example worstState(['healthy', 'frozen'], DEFAULT_POLICY.states) // 'frozen'
 */
export function worstState(names: readonly string[], states: readonly PolicyState[]): string | null {
  let worst: string | null = null;
  let rank = -1;
  for (const name of names) {
    const at = states.findIndex((s) => s.name === name);
    if (at > rank) [worst, rank] = [name, at];
  }
  return worst;
}

/** How much more the budget absorbs at today's volume. */
export interface Margin {
  /** allowed − bad: failed attempts (or slices) the window can still absorb; negative when overspent. */
  failures: number;
  /** failures ÷ (total ÷ window minutes): minutes of full outage; null when the window holds nothing. */
  fullOutageMinutes: number | null;
}

/**
 * The margin of an SLO's window (docs/release.md ("Margins")); windowMinutes is the rolling length, or
 * the minutes of the calendar period elapsed so far.
 * @example margin(500, 88, 500_000, 40_320) // { failures: 412, fullOutageMinutes: 33.22… }
 */
export function margin(allowed: number, bad: number, total: number, windowMinutes: number): Margin {
  const failures = allowed - bad;
  return { failures, fullOutageMinutes: total > 0 && windowMinutes > 0 ? failures / (total / windowMinutes) : null };
}

/**
 * The margin in words, as the gate prints it.
 * @example marginText({ failures: 412.4, fullOutageMinutes: 9 })
 *   // "the budget absorbs 412 more failed attempts, or 9 minutes of full outage, at today's volume"
 */
export function marginText(m: Margin): string {
  if (m.fullOutageMinutes === null) return 'no events in the window: no margin to measure';
  const failures = Math.abs(Math.round(m.failures));
  const minutes = Math.abs(m.fullOutageMinutes);
  const minutesText = minutes >= 10 ? String(Math.round(minutes)) : String(Math.round(minutes * 10) / 10);
  const words = `${failures} failed attempt${failures === 1 ? '' : 's'}, or ${minutesText} minute${minutesText === '1' ? '' : 's'} of full outage`;
  return m.failures >= 0
    ? `the budget absorbs ${words.replace(/^(\d+) /, '$1 more ')}, at today's volume`
    : `the budget is overspent by ${words}`;
}

export type GateDecision = 'allow' | 'warn' | 'deny' | 'cannot_decide';

/** What the gate needs of one SLO of a journey concerned. */
export interface GateSlo {
  journey: string;
  slo: string;
  state: string;
  remaining: number;
  page: boolean;
  ticket: boolean;
}

function percent(x: number): string {
  return `${Math.round(Math.abs(x) * 100)}%`;
}

/** Why an SLO triggers a gate list entry, in words. */
function reason(s: GateSlo, entry: string): string {
  const name = `${s.journey}/${s.slo}`;
  if (entry === 'page') return `${name} is paging: a page alert is firing`;
  if (entry === 'ticket') return `${name} has a ticket alert firing`;
  const budget = s.remaining < 0 ? `budget ${percent(s.remaining)} overspent` : `${percent(s.remaining)} of the budget left`;
  return `${name} is ${entry}: ${budget}`;
}

/** The entries of a gate list an SLO triggers: its state, and its firing alerts. */
function triggered(s: GateSlo, list: readonly string[]): string[] {
  return list.filter((entry) => entry === s.state || (entry === 'page' && s.page) || (entry === 'ticket' && s.ticket));
}

/**
 * The gate's decision (docs/release.md ("The release gate")): deny when an SLO of a journey concerned is
 * in a state or alert of `gate.deny`, else warn for `gate.warn`, else allow; an active exception turns
 * deny into allow and is named. No SLO to judge: cannot_decide.
 * @example gateDecision([{ journey: 'pay', slo: 'success', state: 'frozen', remaining: -0.12, page: false, ticket: true }], DEFAULT_POLICY.gate, null)
 *   // { decision: 'deny', reasons: ['pay/success is frozen: budget 12% overspent', 'pay/success has a ticket alert firing'] }
 */
export function gateDecision(
  slos: readonly GateSlo[],
  gate: PolicySpec['gate'],
  exception: GateException | null,
): { decision: GateDecision; reasons: string[] } {
  if (slos.length === 0) return { decision: 'cannot_decide', reasons: ['no SLO of a journey concerned to judge'] };
  const denies = slos.flatMap((s) => triggered(s, gate.deny).map((entry) => reason(s, entry)));
  const warns = slos.flatMap((s) => triggered(s, gate.warn).map((entry) => reason(s, entry)));
  if (denies.length > 0) {
    if (!exception) return { decision: 'deny', reasons: [...denies, ...warns] };
    const by = `exception by ${exception.author} until ${new Date(exception.until).toISOString()}: ${exception.reason}`;
    return { decision: 'allow', reasons: [by, ...denies, ...warns] };
  }
  if (warns.length > 0) return { decision: 'warn', reasons: warns };
  return { decision: 'allow', reasons: [] };
}

/**
 * The exception in force at `now` for a gate asked about `target`: the latest-created one not yet expired.
 * @example activeException(exceptions, { journey: 'pay' }, Date.now())
 */
export function activeException(
  exceptions: readonly GateException[],
  target: { journey?: string; service?: string },
  now: number,
  journeys: readonly string[] = [],
): GateException | null {
  let found: GateException | null = null;
  for (const e of exceptions) {
    if (e.until <= now) continue;
    const matches =
      (e.service !== null && e.service === target.service) ||
      // A journey's exception answers for a service only when that journey is the only one the service concerns.
      (e.journey !== null &&
        (e.journey === target.journey || (target.service !== undefined && journeys.length === 1 && journeys[0] === e.journey)));
    if (matches && (found === null || e.createdAt >= found.createdAt)) found = e;
  }
  return found;
}
