/** The overview table: one row per journey, customer figures on the left, infrastructure on the right. */
import { LevelBadge } from '../components/Level.js';
import { formatBudget, formatCount, formatPercent, formatSli, formatValueAtRisk } from '../lib/format.js';
import { DEFAULT_HISTORY } from '../lib/history.js';
import type { JourneyRow } from '../lib/overview.js';
import { policyStyle } from '../lib/release.js';
import { href } from '../lib/route.js';
import { LEVELS, successLevel } from '../lib/status.js';

function Success({ value, objective, label }: { value: number | null; objective: number | null; label: string }) {
  const level = objective === null ? 'nodata' : successLevel(value, objective);
  return (
    <span className={`figure ${LEVELS[level].className}`} title={label}>
      {level === 'page' || level === 'warn' ? (
        <span className="figure-icon" aria-hidden="true">
          {LEVELS[level].icon}
        </span>
      ) : null}
      <span data-value="">{objective === null ? formatPercent(value, 2) : formatSli(value, objective)}</span>
    </span>
  );
}

function BudgetBar({ remaining }: { remaining: number | null }) {
  if (remaining === null) return <span className="muted">—</span>;
  const pct = Math.max(0, Math.min(1, remaining)) * 100;
  const cls = remaining <= 0 ? 'lvl-page' : remaining < 0.25 ? 'lvl-ticket' : 'lvl-ok';
  return (
    <span className="budget">
      <span className={`figure ${cls}`} data-value="">
        {formatBudget(remaining)}
      </span>
      <span className="bar" aria-hidden="true">
        <span className={`bar-fill ${cls}`} style={{ width: `${pct}%` }} />
      </span>
    </span>
  );
}

/** The budget-policy state: icon + word + colour (docs/release.md ("Budget policy")). */
function PolicyState({ state }: { state: string | null }) {
  if (state === null) return <span className="muted">—</span>;
  const style = policyStyle(state);
  return (
    <span className={`badge ${style.className}`} title="Budget policy: what may ship now">
      <span aria-hidden="true" className="badge-icon">
        {style.icon}
      </span>
      {style.label}
    </span>
  );
}

function Infrastructure({ row }: { row: JourneyRow }) {
  const infra = row.infrastructure;
  if (infra === null) return <span className="muted">unavailable</span>;
  const allGreen = infra.green === infra.services;
  return (
    <div className="infra">
      <LevelBadge level={allGreen ? 'ok' : 'ticket'} label={`${formatPercent(infra.share, 0)} green`} />
      <span className="muted small">
        {infra.green}/{infra.services} services
        {infra.firing.length > 0 ? ` · ${infra.firing.length} alert${infra.firing.length === 1 ? '' : 's'} firing` : ''}
      </span>
    </div>
  );
}

export function JourneyTable({ rows, incidentsKnown }: { rows: JourneyRow[]; incidentsKnown: boolean }) {
  return (
    <table className="journeys">
      <caption className="visually-hidden">Journeys sorted by customer impact</caption>
      <thead>
        <tr>
          <th scope="col">Journey</th>
          <th scope="col">Customers</th>
          <th scope="col" className="num">
            Success now
            <span className="th-sub">last 5 min</span>
          </th>
          <th scope="col" className="num">
            Last hour
          </th>
          <th scope="col" className="num">
            SLO window
          </th>
          <th scope="col">
            Error budget left
            <span className="th-sub">and release policy</span>
          </th>
          <th scope="col" className="divider">
            Infrastructure
          </th>
          <th scope="col" className="num">
            Incidents
            <span className="th-sub">open · at stake</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} className={row.paradox ? 'row-paradox' : undefined} data-journey={row.name}>
            <th scope="row">
              <a className="journey-link" href={href.journey(row.name)}>
                {row.displayName}
              </a>
              <span className="muted small">
                {row.tier}
                {row.owner ? ` · ${row.owner}` : ''}
              </span>
              <a className="small" href={href.value(row.name)} data-field="value-link">
                What it cost
              </a>
            </th>
            <td>
              <LevelBadge level={row.level} />
              {row.paradox ? (
                <span className="paradox-tag" title="Infrastructure all green while customers fail">
                  ⚠ Paradox
                </span>
              ) : null}
            </td>
            <td className="num">
              <Success value={row.successNow} objective={row.objective} label="Success over the last 5 minutes" />
              <span className="muted small" data-field="events-now">
                {row.eventsNow === null ? 'from the SLO burn' : `of ${formatCount(row.eventsNow)} events`}
              </span>
            </td>
            <td className="num" data-field="success-1h">
              <Success value={row.success1h} objective={row.objective} label="Success over the last hour" />
            </td>
            <td className="num" data-field="success-window">
              <Success value={row.successWindow} objective={row.objective} label="Success over the SLO window" />
              <span className="muted small">{row.objective === null ? 'no SLO' : `target ${row.objective}% · ${row.window}`}</span>
            </td>
            <td data-field="budget">
              <BudgetBar remaining={row.budgetRemaining} />
              {row.tightestSlo ? (
                <a className="muted small" href={href.slo(row.name, row.tightestSlo)}>
                  {row.tightestSloName ?? row.tightestSlo}
                </a>
              ) : null}
              <span className="policy-state" data-field="policy">
                <PolicyState state={row.policyState} />
              </span>
            </td>
            <td className="divider">
              <Infrastructure row={row} />
            </td>
            <td className="num">
              {incidentsKnown ? (
                row.openIncidents > 0 ? (
                  <>
                    <a
                      href={href.history({ ...DEFAULT_HISTORY, journey: row.name, status: ['open', 'acknowledged'] })}
                      className="figure lvl-page"
                    >
                      {row.openIncidents}
                    </a>
                    {/* What the open incidents put at stake: customers affected and value at risk per hour. */}
                    <span className="muted small" data-field="at-stake">
                      {formatCount(row.customersAffected)} customers
                      {row.valueAtRiskPerHour.length > 0 ? ` · ${formatValueAtRisk(row.valueAtRiskPerHour)}` : ''}
                    </span>
                  </>
                ) : (
                  <span className="muted">0</span>
                )
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
