/**
 * What unreliability cost a journey (docs/value.md), for an executive in ten seconds: the boardroom sentence, the range, a card
 * per method with how it was reached (or why it could not be), then hourly volume against its baseline with the lost volume
 * shaded, beside the success rate.
 */
import { useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import { CHART_COLOURS, Chart, baseOptions, timeSeries } from '../components/Chart.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { ApiError, api } from '../lib/api.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { href } from '../lib/route.js';
import { type LostHour, lostHours, methodCards, rangeText, valueColumns, valuePeriod, valuePeriods } from '../lib/value.js';
import { useTime } from '../time-context.js';

/** The value of a period changes slowly: refreshed every five minutes. */
const VALUE_REFRESH_MS = 300_000;
const LOST_FILL = 'rgba(213, 94, 0, 0.45)';

/** The lost volume: between the baseline and the volume, over each degraded hour that fell short. */
function lostPlugin(lost: { current: LostHour[] }): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx } = u;
        const { top, left, width, height } = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        ctx.fillStyle = LOST_FILL;
        for (const h of lost.current) {
          const x0 = u.valToPos(h.from, 'x', true);
          const x1 = u.valToPos(h.to, 'x', true);
          const yTop = u.valToPos(h.baseline, 'count', true);
          const yBottom = u.valToPos(h.attempts, 'count', true);
          ctx.fillRect(x0, yTop, Math.max(1, x1 - x0), yBottom - yTop);
        }
        ctx.restore();
      },
    },
  };
}

export function ValuePage({ journey, period }: { journey: string; period: string | null }) {
  const time = useTime();
  const picked = valuePeriod(period, Date.now());
  const polled = usePoll(
    () => {
      const p = valuePeriod(period, Date.now());
      return api.journeyValue(journey, p.fromMs, p.toMs);
    },
    `value:${journey}:${picked.key}`,
    VALUE_REFRESH_MS,
  );
  const value = polled.data;
  const columns = useMemo(() => (value ? valueColumns(value.hours) : null), [value]);
  const lost = useMemo(() => (value ? lostHours(value.hours) : []), [value]);
  const lostRef = useRef(lost);
  lostRef.current = lost;
  const periods = useMemo(() => valuePeriods(Date.now()), []);

  const options = useMemo((): Omit<uPlot.Options, 'width' | 'height'> => {
    const base = baseOptions(time, 'attempts per hour', (v) => formatCount(Math.round(v)));
    const axis = base.axes![1]!;
    return {
      ...base,
      scales: { x: { time: true }, count: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] }, rate: { range: () => [0, 100] } },
      axes: [
        base.axes![0]!,
        { ...axis, scale: 'count' },
        { ...axis, scale: 'rate', side: 1, label: 'success rate', values: (_u, s) => s.map((v) => `${v}%`) },
      ],
      series: [
        timeSeries(time),
        {
          label: 'Attempts',
          scale: 'count',
          stroke: CHART_COLOURS.blue,
          width: 2,
          value: (_u, v) => (v === null ? '—' : formatCount(v)),
        },
        {
          label: 'Baseline',
          scale: 'count',
          stroke: CHART_COLOURS.axis,
          width: 1.5,
          dash: [6, 4],
          value: (_u, v) => (v === null ? 'no history' : formatCount(Math.round(v))),
        },
        {
          label: 'Success rate',
          scale: 'rate',
          stroke: CHART_COLOURS.green,
          width: 1.5,
          spanGaps: false,
          value: (_u, v) => (v === null ? 'no events' : formatPercent(v / 100, 2)),
        },
      ],
      plugins: [lostPlugin(lostRef)],
    };
  }, [time]);

  const crumbs = (
    <nav className="crumbs" aria-label="Breadcrumb">
      <a href={href.overview()}>Journeys</a> <span aria-hidden="true">›</span>{' '}
      <a href={href.journey(journey)}>{value?.displayName ?? journey}</a> <span aria-hidden="true">›</span>{' '}
      <span aria-current="page">What unreliability cost</span>
    </nav>
  );
  const picker = (
    <label className="month-picker">
      Period{' '}
      <select
        value={picked.key}
        onChange={(e) => {
          window.location.hash = href.value(journey, e.target.value === 'last30' ? undefined : e.target.value);
        }}
      >
        {(periods.some((p) => p.key === picked.key) ? periods : [...periods, picked]).map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
      </select>
    </label>
  );

  if (value === null || columns === null) {
    if (polled.error instanceof ApiError && polled.error.status === 404) {
      return (
        <Empty title={`No journey “${journey}”`}>
          <a href={href.overview()}>Back to the overview</a>
        </Empty>
      );
    }
    return polled.error ? <ErrorNote error={polled.error} stale={false} /> : <Loading what={`what ${journey} cost`} />;
  }
  const range = rangeText(value.range);
  const cards = methodCards(value);
  const noBaseline = value.hours.every((h) => h.baseline === null);

  return (
    <section className="page" aria-labelledby="value-title" data-ready="true">
      {crumbs}
      <div className="page-head">
        <div>
          <h1 id="value-title">{value.displayName}: what unreliability cost</h1>
          <p className="subtitle">
            {time.date(Date.parse(value.from))} – {time.date(Date.parse(value.to) - 1)} (UTC hours) · {formatCount(value.attempts)} attempts
            {value.step ? ` at step ${value.step}` : ''}, {formatCount(value.failures)} failed · success{' '}
            {formatPercent(value.successRate, 2)}
            {value.baselineSuccessRate !== null ? ` against ${formatPercent(value.baselineSuccessRate, 2)} in the 4 weeks before` : ''}
          </p>
        </div>
        {picker}
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale /> : null}
      <p className="value-statement" data-testid="value-statement">
        {value.statement}
      </p>
      <p className="value-range" data-testid="value-range">
        Range across the methods:
        <span className="big">{range ?? '—'}</span>
        {range === null ? <span className="muted"> no method could put a value on it</span> : null}
      </p>
      <div className="three-col">
        {cards.map((c) => (
          <div key={c.key} className={`panel method-card${c.figure === null ? ' method-null' : ''}`} data-method={c.key}>
            <h2 className="section-title">{c.title}</h2>
            <div className="figure-money" data-field="figure">
              {c.figure ?? 'not computed'}
            </div>
            <p className="small muted" data-field="detail">
              {c.detail}
            </p>
          </div>
        ))}
      </div>
      <figure className="panel chart-panel" data-lost-hours={lost.length}>
        <figcaption>
          <h2 className="section-title">Volume against its baseline, and success</h2>
          <span className="muted small">
            Attempts per hour, the seasonal baseline (the same hour of the week over the 4 weeks before) dashed, and the success rate on the
            right axis. <span className="lost-swatch" aria-hidden="true" /> Lost volume: degraded hours below their baseline (
            {formatCount(lost.length)} hours).
            {noBaseline ? ' No baseline yet: the 4 weeks before the period hold no traffic.' : ''}
          </span>
        </figcaption>
        <Chart
          shape={`value:${time.timeZone}`}
          options={options}
          data={columns}
          height={260}
          label="Hourly attempts against their baseline, with the success rate"
        />
      </figure>
    </section>
  );
}
