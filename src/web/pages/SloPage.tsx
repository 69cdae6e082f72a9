/**
 * SLO page: the release gate in one line, objective, attainment and budget tiles, the budget burn-down with incidents and
 * deployments, the SLI, and the burn-rate alert pairs.
 */
import { useMemo, useState } from 'react';
import { LevelBadge } from '../components/Level.js';
import { Empty, ErrorNote, Loading, Tile } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { ApiError, api, optional } from '../lib/api.js';
import { formatBudget, formatBurn, formatCount, formatSli } from '../lib/format.js';
import { href } from '../lib/route.js';
import { CHART_RANGES, type ChartRange, chartRange, DEFAULT_CHART_RANGE } from '../lib/slo-charts.js';
import { gateLine } from '../lib/release.js';
import { budgetText, sloFigure, sloLevel } from '../lib/status.js';
import { useTime } from '../time-context.js';
import { BurnRateTable } from './BurnRateTable.js';
import { SloCharts } from './SloCharts.js';

const RANGE_LABEL: Record<ChartRange, string> = { '1h': '1 h', '6h': '6 h', '1d': '1 d', '7d': '7 d', window: 'SLO window' };

async function loadSlo(journey: string, slo: string, picked: ChartRange) {
  const [status, detail] = await Promise.all([api.sloStatus(journey, slo), api.journey(journey)]);
  const range = chartRange(picked, Date.parse(status.windowStart), Date.parse(status.at));
  const [series, incidents, gate] = await Promise.all([
    api.sloSeries(journey, slo, range.fromMs, range.toMs, range.step),
    optional(api.incidents({ journey, fromMs: range.fromMs, toMs: range.toMs })),
    optional(api.gate(journey)),
  ]);
  return { status, displayName: detail.displayName, series, range, incidents: incidents?.incidents ?? null, gate };
}

export function SloPage({ journey, slo }: { journey: string; slo: string }) {
  const [picked, setPicked] = useState<ChartRange>(DEFAULT_CHART_RANGE);
  const polled = usePoll(() => loadSlo(journey, slo, picked), `slo:${journey}/${slo}:${picked}`);
  const time = useTime();
  const data = polled.data;
  const pageFactor = useMemo(() => data?.status.alerts.pairs.find((p) => p.severity === 'page')?.factor ?? null, [data]);

  if (data === null) {
    if (polled.error instanceof ApiError && polled.error.status === 404) {
      return (
        <Empty title={`No SLO “${slo}” on journey “${journey}”`}>
          <a href={href.overview()}>Back to the overview</a>
        </Empty>
      );
    }
    return polled.error ? <ErrorNote error={polled.error} stale={false} /> : <Loading what={`SLO ${journey}/${slo}`} />;
  }
  const { status, series } = data;
  const level = sloLevel(status);
  const overspent = status.errorBudget.remaining < 0;
  const insufficient = status.state === 'insufficient_data';

  return (
    <section className="page" aria-labelledby="slo-title" data-ready="true">
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href.overview()}>Journeys</a> <span aria-hidden="true">›</span> <a href={href.journey(journey)}>{data.displayName}</a>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{data.status.displayName}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="slo-title">
            {data.displayName}: {status.displayName} <LevelBadge level={level} large />
          </h1>
          <p className="subtitle">
            {status.window} window from {time.dateTime(Date.parse(status.windowStart))} · {status.budgeting} budgeting
            {polled.updatedAt ? ` · updated ${time.clock(polled.updatedAt)}` : ''}
          </p>
        </div>
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale /> : null}
      {data.gate ? (
        <p className={`gate-line gate-${data.gate.decision}`} data-testid="gate-line">
          {gateLine(data.gate, journey, slo)}
        </p>
      ) : null}
      <div className="tiles">
        <Tile label="Objective" value={<span className="big">{status.objective}%</span>} detail={`over ${status.window}`} />
        <Tile
          label="Attainment"
          value={
            <span
              className={`big ${status.attainment !== null && status.attainment * 100 < status.objective ? 'lvl-page' : ''}`}
              data-field="attainment"
            >
              {formatSli(status.attainment, status.objective)}
            </span>
          }
          detail={
            status.unit === 'amount'
              ? `${sloFigure(status, status.good)} good of ${sloFigure(status, status.total)}`
              : `${formatCount(status.good)} good of ${formatCount(status.total)}${status.budgeting === 'timeslices' ? ' minutes' : ' events'}`
          }
        />
        <Tile
          label="Error budget remaining"
          value={
            <span
              className={`big ${insufficient ? 'muted' : status.state === 'exhausted' ? 'lvl-page' : status.errorBudget.remaining < 0.25 ? 'lvl-ticket' : ''}`}
              data-field="budget"
            >
              {budgetText(status)}
            </span>
          }
          detail={
            `${sloFigure(status, Math.round(status.errorBudget.consumed * 100) / 100)} bad of ` +
            `${sloFigure(status, Math.round(status.errorBudget.allowed * 100) / 100)} allowed` +
            (insufficient ? ` · ${formatBudget(status.errorBudget.remaining)} on too few events` : overspent ? ' · overspent' : '')
          }
        />
        <Tile
          label="Burn rate, last hour"
          value={<span className="big">{formatBurn(status.burnRates['1h'])}</span>}
          detail={`5 min ${formatBurn(status.burnRates['5m'])} · 1 d ${formatBurn(status.burnRates['1d'])}`}
        />
      </div>
      <div className="section-row">
        <h2 className="section-title">History</h2>
        <fieldset className="range-picker" aria-label="Time range of the charts">
          {CHART_RANGES.map((r) => (
            <button
              key={r}
              type="button"
              className="button button-quiet"
              aria-pressed={picked === r}
              data-range={r}
              onClick={() => setPicked(r)}
            >
              {r === 'window' ? `${RANGE_LABEL[r]} (${status.window})` : RANGE_LABEL[r]}
            </button>
          ))}
        </fieldset>
      </div>
      <SloCharts
        points={series.points}
        objective={status.objective}
        pageFactor={pageFactor}
        incidents={data.incidents}
        deployments={series.deployments}
        corrections={series.corrections}
        fromMs={data.range.fromMs}
        toMs={data.range.toMs}
      />
      <h2 className="section-title">Multiwindow burn-rate alerts</h2>
      <BurnRateTable pairs={status.alerts.pairs} figure={(n) => sloFigure(status, n)} />
    </section>
  );
}
