/**
 * Competition (docs/benchmark.md ("The benchmark")): per journey, our probe and our competitors' side by side — availability
 * with its 95% interval, shared ranks, latency and status-page minutes — and beside our probe what our customers really saw.
 */
import { PeriodSelect, useLastDays } from '../components/PeriodSelect.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { api } from '../lib/api.js';
import { type CompetitionRow, competitionRows } from '../lib/benchmark.js';
import { useTime } from '../time-context.js';

const PERIODS = [1, 7, 30] as const;

function AvailabilityBar({ row }: { row: CompetitionRow }) {
  if (!row.bar) return <span className="muted">—</span>;
  return (
    <span className="bench-bar" role="img" aria-label={`${row.availability}, 95% interval ${row.interval}`}>
      <span className={`bench-fill${row.self ? ' self' : ''}`} style={{ width: `${row.bar.width}%` }} />
      <span className="bench-whisker" style={{ left: `${row.bar.whiskerLeft}%`, width: `${row.bar.whiskerWidth}%` }} />
    </span>
  );
}

export function CompetitionPage() {
  const time = useTime();
  const { days, setDays, polled } = useLastDays(7, api.benchmark, 'benchmark');
  const data = polled.data;

  return (
    <section className="page" aria-labelledby="competition-title" data-ready={data ? 'true' : undefined}>
      <div className="page-head">
        <div>
          <h1 id="competition-title">Competition</h1>
          <p className="subtitle">
            Our probes and our competitors’, ranked by availability; owners whose 95% intervals overlap share a rank. Beside our probe, what
            our customers really saw.
            {polled.updatedAt ? ` Updated ${time.clock(polled.updatedAt)}.` : ''}
          </p>
        </div>
        <PeriodSelect days={days} periods={PERIODS} onChange={setDays} testId="competition-period" />
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale={data !== null} /> : null}
      {data === null ? (
        polled.error ? null : (
          <Loading what="the benchmark" />
        )
      ) : data.journeys.length === 0 ? (
        <Empty title="No benchmark">No probe or status page is configured (benchmarks in vigil.yaml).</Empty>
      ) : (
        data.journeys.map((journey) => {
          const rows = competitionRows(journey);
          return (
            <section key={journey.journey} className="panel bench-journey" data-journey={journey.journey}>
              <h2>{journey.displayName}</h2>
              <table className="table bench-table">
                <thead>
                  <tr>
                    <th scope="col">Rank</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Availability</th>
                    <th scope="col">95% interval</th>
                    <th scope="col">Probes</th>
                    <th scope="col">Latency p50</th>
                    <th scope="col">Status page</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.owner} data-owner={r.owner} className={r.self ? 'bench-self' : undefined}>
                      <td data-field="rank">
                        {r.rank}
                        {r.sharedRank ? (
                          <span className="muted" title="Shares its rank: the intervals overlap">
                            {' '}
                            =
                          </span>
                        ) : null}
                      </td>
                      <th scope="row">
                        {r.label}
                        {r.gap ? (
                          <span className={r.gap.highlighted ? 'bench-gap highlighted' : 'bench-gap'} data-field="gap">
                            {r.gap.text}
                          </span>
                        ) : null}
                      </th>
                      <td data-field="availability">
                        <AvailabilityBar row={r} /> {r.availability}
                      </td>
                      <td data-field="interval">{r.interval}</td>
                      <td data-field="runs">{r.runs}</td>
                      <td data-field="latency">{r.latency}</td>
                      <td data-field="status">{r.statusPage}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })
      )}
    </section>
  );
}
