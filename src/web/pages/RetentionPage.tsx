/**
 * Retention by failures met (docs/retention.md): the reading, retention by number of failures met in one period
 * (bars with their 95% whiskers), exposed against unexposed per period, and the figures as a table.
 */
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { api } from '../lib/api.js';
import type { RetentionResponse } from '../lib/api-types.js';
import {
  type Frame,
  type RateBar,
  cohortText,
  doseBars,
  exposureBars,
  layoutBars,
  pText,
  pointsText,
  shownPeriod,
} from '../lib/retention.js';
import { href } from '../lib/route.js';
import { CHART_COLOURS } from '../components/Chart.js';

const TONE: Record<RateBar['tone'], string> = {
  none: CHART_COLOURS.blue,
  unexposed: CHART_COLOURS.blue,
  exposed: CHART_COLOURS.vermillion,
};

/** Retention is slow to change: once a minute is plenty. */
const RETENTION_REFRESH_MS = 60_000;

function RateBars({ bars, label, frame, testId }: { bars: RateBar[]; label: string; frame: Frame; testId: string }) {
  const layout = layoutBars(bars, frame);
  const bottom = frame.height - frame.bottom;
  return (
    <svg
      className="retention-chart"
      data-testid={testId}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="xMidYMid meet"
    >
      {layout.ticks.map((t) => (
        <g key={t.value}>
          <line x1={frame.left} x2={frame.width} y1={t.y} y2={t.y} stroke={CHART_COLOURS.grid} />
          <text x={frame.left - 6} y={t.y + 4} textAnchor="end" fontSize="11" fill={CHART_COLOURS.axis}>
            {t.label}
          </text>
        </g>
      ))}
      {layout.bars.map((b) => (
        <g key={b.key} data-bar={b.key} opacity={b.complete ? 1 : 0.45}>
          <title>{`${b.group ? `${b.group}, ` : ''}${b.label}: ${cohortText(b.cohort)}${b.complete ? '' : ' (next period not over)'}`}</title>
          {b.y !== null ? <rect x={b.x} y={b.y} width={b.width} height={Math.max(0, bottom - b.y)} fill={TONE[b.tone]} rx="2" /> : null}
          {b.whisker ? (
            <g stroke="currentColor" strokeWidth="1.5">
              <line x1={b.x + b.width / 2} x2={b.x + b.width / 2} y1={b.whisker.top} y2={b.whisker.bottom} />
              <line x1={b.x + b.width * 0.3} x2={b.x + b.width * 0.7} y1={b.whisker.top} y2={b.whisker.top} />
              <line x1={b.x + b.width * 0.3} x2={b.x + b.width * 0.7} y1={b.whisker.bottom} y2={b.whisker.bottom} />
            </g>
          ) : null}
          <text x={b.x + b.width / 2} y={(b.whisker?.top ?? b.y ?? bottom) - 6} textAnchor="middle" fontSize="11" fill="currentColor">
            {b.cohort.rate === null ? '—' : `${(b.cohort.rate * 100).toFixed(1)}%`}
          </text>
          {b.group === '' ? (
            <text x={b.x + b.width / 2} y={bottom + 16} textAnchor="middle" fontSize="11" fill={CHART_COLOURS.axis}>
              {`${b.label} · ${b.cohort.customers.toLocaleString('en-GB')}`}
            </text>
          ) : null}
        </g>
      ))}
      {layout.groups
        .filter((g) => g.label !== '')
        .map((g) => (
          <text key={g.label} x={g.x} y={bottom + 16} textAnchor="middle" fontSize="11" fill={CHART_COLOURS.axis}>
            {g.label}
          </text>
        ))}
    </svg>
  );
}

function Figures({ data }: { data: RetentionResponse }) {
  return (
    <table className="retention-table" data-testid="retention-table">
      <thead>
        <tr>
          <th scope="col">Period</th>
          <th scope="col">Met a failure: back next period</th>
          <th scope="col">No failure: back next period</th>
          <th scope="col">Difference</th>
          <th scope="col">Relative risk</th>
          <th scope="col">p</th>
        </tr>
      </thead>
      <tbody>
        {data.periods.map((p) => (
          <tr key={p.period}>
            <th scope="row">
              {p.period}
              {p.complete ? '' : ' (next period not over)'}
              {p.partialHistory ? ' (partly purged)' : ''}
            </th>
            <td>{cohortText(p.exposed)}</td>
            <td>{cohortText(p.unexposed)}</td>
            <td>{pointsText(p.difference)}</td>
            <td>{p.relativeRisk === null ? '—' : p.relativeRisk.toFixed(3)}</td>
            <td>{pText(p.pValue)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RetentionPage({ journey, period }: { journey: string; period: 'month' | 'week' }) {
  const polled = usePoll(() => api.retention(journey, period), `retention:${journey}:${period}`, RETENTION_REFRESH_MS);
  const data = polled.data;
  if (!data) return polled.error ? <ErrorNote error={polled.error} stale={false} /> : <Loading what="retention" />;
  const shown = shownPeriod(data);
  const exposure = exposureBars(data);
  return (
    <section className="page" aria-labelledby="retention-title" data-ready="true">
      <div className="crumbs">
        <a href={href.journey(data.journey)}>{data.displayName}</a> / retention
      </div>
      <div className="page-head">
        <div>
          <h1 id="retention-title">{data.displayName}: retention by failures met</h1>
          <p className="subtitle">
            Customers seen again, on any journey, in the {period} after they used {data.displayName} · calendar {period}s in {data.timezone}
          </p>
        </div>
        <nav className="segmented" aria-label="Period">
          <a href={href.retention(data.journey, 'month')} aria-current={period === 'month' ? 'page' : undefined}>
            Months
          </a>{' '}
          <a href={href.retention(data.journey, 'week')} aria-current={period === 'week' ? 'page' : undefined}>
            Weeks
          </a>
        </nav>
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale /> : null}
      {data.reading ? (
        <p className="panel retention-reading" data-testid="retention-reading">
          {data.reading}
        </p>
      ) : null}
      {shown === null ? (
        <Empty title="No customers to compare">
          No event of {data.displayName} with a customerId in these {period}s: retention needs events that name their customer, kept for two{' '}
          {period}s ({data.rawEventsDays} days of raw events are kept).
        </Empty>
      ) : (
        <>
          <h2 className="section-title">
            Back in the next {period}, by failures met in {shown.period}
          </h2>
          <p className="hint">
            Whiskers are 95% intervals. {shown.complete ? '' : `${shown.period}'s next ${period} is not over: its figures can still rise. `}
            If failures drive customers away, the bars fall from left to right.
          </p>
          <div className="panel">
            <RateBars
              testId="retention-dose"
              bars={doseBars(shown)}
              label={`Share of customers back in the next ${period} by failures met in ${shown.period}`}
              frame={{ width: 640, height: 240, left: 44, bottom: 26, top: 22 }}
            />
          </div>
          <h2 className="section-title">Met a failure or not, per {period}</h2>
          <p className="hint">
            <span style={{ color: TONE.exposed }}>■</span> met at least one failure · <span style={{ color: TONE.unexposed }}>■</span> met
            none. Faded: the next {period} is not over. Correlation, not causation: see docs/retention.md.
          </p>
          <div className="panel">
            <RateBars
              testId="retention-exposure"
              bars={exposure}
              label={`Share of customers back in the next ${period}, with and without a failure, per ${period}`}
              frame={{ width: 640, height: 220, left: 44, bottom: 26, top: 22 }}
            />
          </div>
        </>
      )}
      <h2 className="section-title">Figures</h2>
      <Figures data={data} />
    </section>
  );
}
