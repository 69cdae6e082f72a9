/**
 * The SLO page's charts: budget burn-down with incidents and deployments on the time axis, SLI per interval, and 1 h burn
 * rate, with corrections (maintenance windows) shaded on all three.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { CHART_COLOURS, Chart, type ChartFlag, baseOptions, timeSeries } from '../components/Chart.js';
import { PriorityBadge } from '../components/Level.js';
import type { Incident, SeriesCorrection, SeriesDeployment, SeriesPoint } from '../lib/api-types.js';
import { formatBudget, formatBurn, formatSli } from '../lib/format.js';
import { correctionBands, type DeploymentMarker, deploymentMarkers, spentText } from '../lib/release.js';
import { href } from '../lib/route.js';
import { burnDown, burnRateOverTime, type Columns, incidentMarkers, sliOverTime, sliRange } from '../lib/slo-charts.js';
import { useTime } from '../time-context.js';

interface Props {
  points: SeriesPoint[];
  objective: number;
  pageFactor: number | null;
  incidents: Incident[] | null;
  deployments: SeriesDeployment[];
  corrections: SeriesCorrection[];
  fromMs: number;
  toMs: number;
}

/** What a deployment's label shows on hover or focus: who shipped what, what it spent, and its run's link (http(s) only). */
function DeploymentDetail({ m }: { m: DeploymentMarker }) {
  const time = useTime();
  return (
    <div className="deploy-detail">
      <strong>
        {m.service} {m.version}
      </strong>
      {m.description ? <div>{m.description}</div> : null}
      <dl>
        <dt>Started</dt>
        <dd>{time.dateTime(m.fromMs)}</dd>
        <dt>Author</dt>
        <dd>{m.author ?? '—'}</dd>
        <dt>Spent</dt>
        <dd>
          {spentText(m.consumed)}
          {m.baseline !== null && m.excess !== null
            ? ` (usual ${spentText(m.baseline).replace(' of budget', '')}, excess ${spentText(m.excess).replace(' of budget', '')})`
            : ''}
        </dd>
        <dt>Link</dt>
        <dd>
          {m.url ? (
            <a href={m.url} target="_blank" rel="noopener noreferrer">
              {m.url}
            </a>
          ) : (
            '—'
          )}
        </dd>
      </dl>
    </div>
  );
}

/** The incident list under the burn-down names the newest few; the chart shades them all. */
const MARKERS_LISTED = 6;

const pct = (digits: number) => (v: number) => `${Number(v.toFixed(digits))}%`;

export function SloCharts({ points, objective, pageFactor, incidents, deployments, corrections, fromMs, toMs }: Props) {
  const time = useTime();
  const tz = time.timeZone;
  const budget = useMemo(() => burnDown(points), [points]);
  const sli = useMemo(() => sliOverTime(points, objective), [points, objective]);
  const burn = useMemo(() => burnRateOverTime(points, pageFactor), [points, pageFactor]);
  const markers = useMemo(() => (incidents ? incidentMarkers(incidents, fromMs, toMs) : []), [incidents, fromMs, toMs]);
  const deploys = useMemo(() => deploymentMarkers(deployments, fromMs, toMs), [deployments, fromMs, toMs]);
  const flags = useMemo(
    (): ChartFlag[] => deploys.map((m) => ({ id: m.id, at: m.at, label: m.label, detail: <DeploymentDetail m={m} /> })),
    [deploys],
  );
  const bands = useMemo(() => correctionBands(corrections, fromMs, toMs), [corrections, fromMs, toMs]);

  const budgetOptions = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      ...baseOptions(time, 'budget left', pct(0)),
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(100, max)] } },
      series: [
        timeSeries(time),
        {
          label: 'Budget remaining',
          stroke: CHART_COLOURS.blue,
          width: 2,
          fill: 'rgba(86, 180, 233, 0.12)',
          value: (_u, v) => (v === null ? '—' : formatBudget(v / 100)),
        },
      ],
    }),
    [time],
  );
  const sliOptions = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      ...baseOptions(time, 'SLI', pct(3)),
      scales: { x: { time: true }, y: { range: (u) => sliRange(u.data as Columns, objective) } },
      series: [
        timeSeries(time),
        {
          label: 'SLI per interval',
          stroke: CHART_COLOURS.green,
          width: 2,
          spanGaps: false,
          value: (_u, v) => (v === null ? 'no events' : formatSli(v / 100, objective)),
        },
        { label: 'Objective', stroke: CHART_COLOURS.orange, width: 1.5, dash: [6, 4], value: (_u, v) => (v === null ? '—' : `${v}%`) },
      ],
    }),
    [time, objective],
  );
  const burnOptions = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      ...baseOptions(time, 'burn rate', (v) => `${Number(v.toFixed(1))}×`),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, (pageFactor ?? 1) * 1.1)] } },
      series: [
        timeSeries(time),
        { label: 'Burn rate (1 h)', stroke: CHART_COLOURS.purple, width: 2, value: (_u, v) => formatBurn(v) },
        ...(pageFactor !== null
          ? [
              {
                label: 'Page threshold',
                stroke: CHART_COLOURS.vermillion,
                width: 1.5,
                dash: [6, 4],
                value: (_u: uPlot, v: number | null) => formatBurn(v),
              },
            ]
          : []),
      ],
    }),
    [time, pageFactor],
  );

  return (
    <div className="charts">
      <figure className="panel chart-panel">
        <figcaption>
          <h2 className="section-title">Error budget burn-down</h2>
          <span className="muted small">
            Budget left over the SLO window ending at each point; shaded spans are incidents, dashed lines deployments with the share of the
            budget each spent{bands.length > 0 ? ', hatched spans corrections' : ''}. Drag to zoom.
          </span>
        </figcaption>
        <Chart
          shape={`budget:${tz}`}
          options={budgetOptions}
          data={budget}
          height={220}
          markers={markers}
          flags={flags}
          bands={bands}
          label="Error budget remaining over the SLO window"
        />
        {incidents === null ? (
          <p className="muted small">Incident data unavailable on this server.</p>
        ) : markers.length > 0 ? (
          <ul className="marker-list small" aria-label="Incidents in this window">
            {markers.slice(-MARKERS_LISTED).map((m) => (
              <li key={m.id}>
                <PriorityBadge priority={m.priority} /> <a href={href.incidents(m.id)}>{m.label.slice(3)}</a>{' '}
                <span className="muted">
                  {time.dateTime(m.from * 1000)} → {time.dateTime(m.to * 1000)}
                </span>
              </li>
            ))}
            {markers.length > MARKERS_LISTED ? (
              <li className="muted">and {markers.length - MARKERS_LISTED} earlier incidents, shaded on the chart</li>
            ) : null}
          </ul>
        ) : (
          <p className="muted small">No incident touched this journey in the window.</p>
        )}
        {deploys.length > 0 ? (
          <ul className="marker-list small" aria-label="Deployments in this window">
            {deploys.slice(-MARKERS_LISTED).map((m) => (
              <li key={m.id} data-deployment={m.id}>
                <span className="badge">
                  <span aria-hidden="true" className="badge-icon">
                    ⇡
                  </span>
                  {m.version}
                </span>{' '}
                {m.service} · {spentText(m.consumed)}{' '}
                <span className="muted">
                  {time.dateTime(m.fromMs)}
                  {m.author ? ` · ${m.author}` : ''}
                </span>
                {m.url ? (
                  <>
                    {' '}
                    <a href={m.url} target="_blank" rel="noopener noreferrer">
                      run
                    </a>
                  </>
                ) : null}
              </li>
            ))}
            {deploys.length > MARKERS_LISTED ? (
              <li className="muted">and {deploys.length - MARKERS_LISTED} earlier deployments, marked on the chart</li>
            ) : null}
          </ul>
        ) : null}
        {bands.length > 0 ? (
          <ul className="marker-list small" aria-label="Corrections in this window">
            {bands.map((b) => (
              <li key={`${b.label}-${b.from}`} data-correction={b.label}>
                <span className="badge lvl-nodata">
                  <span aria-hidden="true" className="badge-icon">
                    ▨
                  </span>
                  {b.label}
                </span>{' '}
                <span className="muted">
                  {time.dateTime(b.from * 1000)} → {time.dateTime(b.to * 1000)} · {b.title.slice(b.label.length + 2)}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </figure>
      <div className="two-col">
        <figure className="panel chart-panel">
          <figcaption>
            <h2 className="section-title">SLI over time</h2>
            <span className="muted small">Good ÷ valid events in each interval, against the objective.</span>
          </figcaption>
          <Chart
            shape={`sli:${tz}:${objective}`}
            options={sliOptions}
            data={sli}
            bands={bands}
            height={200}
            label="SLI per interval against the objective"
          />
        </figure>
        <figure className="panel chart-panel">
          <figcaption>
            <h2 className="section-title">Burn rate</h2>
            <span className="muted small">Over the hour ending at each point; 1× spends the budget exactly over the window.</span>
          </figcaption>
          <Chart
            shape={`burn:${tz}:${pageFactor}`}
            options={burnOptions}
            data={burn}
            bands={bands}
            height={200}
            label="Burn rate over the last hour at each point"
          />
        </figure>
      </div>
    </div>
  );
}
