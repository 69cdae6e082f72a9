/**
 * Where to invest (docs/value.md ("Where to invest")): the infrastructure ordered by the customer harm behind each service —
 * failed attempts and value lost at the steps that depend on it, the budget they spent, its incidents and alerts — so the
 * services that need reliability investment stand apart from the loud ones.
 */
import { PeriodSelect, useLastDays } from '../components/PeriodSelect.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { api } from '../lib/api.js';
import { rankingRow, type Verdict } from '../lib/ranking.js';
import { href } from '../lib/route.js';
import { useTime } from '../time-context.js';

const PERIODS = [7, 30, 90] as const;

const VERDICT: Record<Verdict, { text: string; className: string }> = {
  harm: { text: 'customer harm', className: 'badge lvl-page' },
  loud: { text: 'loud, no harm', className: 'badge lvl-ticket' },
  quiet: { text: 'quiet', className: 'badge lvl-nodata' },
};

export function InfrastructurePage() {
  const time = useTime();
  const { days, setDays, polled } = useLastDays(30, api.servicesRanking, 'ranking');
  const data = polled.data;
  const rows = data ? data.services.map(rankingRow) : [];

  return (
    <section className="page" aria-labelledby="services-title" data-ready={data ? 'true' : undefined}>
      <div className="page-head">
        <div>
          <h1 id="services-title">Where to invest</h1>
          <p className="subtitle">
            Services by the customer harm behind them: tier first, then value lost at the steps that depend on them. A step’s failures are
            shared between its services unless an incident pins them on one.
            {polled.updatedAt ? ` Updated ${time.clock(polled.updatedAt)}.` : ''}
          </p>
        </div>
        <PeriodSelect days={days} periods={PERIODS} onChange={setDays} testId="ranking-period" />
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale={data !== null} /> : null}
      {data === null ? (
        polled.error ? null : (
          <Loading what="the ranking" />
        )
      ) : rows.length === 0 ? (
        <Empty title="No services">No journey step names a service, and no alert named one in the period.</Empty>
      ) : (
        <table className="table ranking-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Service</th>
              <th scope="col">Tier</th>
              <th scope="col">Failed attempts</th>
              <th scope="col">Value lost</th>
              <th scope="col">Budget spent</th>
              <th scope="col">Incidents</th>
              <th scope="col">Alerts</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} data-service={r.name} title={r.summary}>
                <td>{r.rank}</td>
                <th scope="row">{r.name}</th>
                <td>{r.tier}</td>
                <td data-field="failed">{r.failed}</td>
                <td data-field="lost">{r.lost}</td>
                <td data-field="budget">
                  {r.budget}
                  {r.budgetSlo ? <span className="muted"> of {r.budgetSlo}</span> : null}
                </td>
                <td data-field="incidents">{r.incidents > 0 ? <a href={href.history()}>{r.incidents}</a> : 0}</td>
                <td data-field="alerts">{r.alerts}</td>
                <td data-field="verdict">
                  <span className={VERDICT[r.verdict].className}>{VERDICT[r.verdict].text}</span>
                  <span className="visually-hidden"> {r.summary}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
