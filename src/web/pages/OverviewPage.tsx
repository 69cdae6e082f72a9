/** Overview: every journey's customer view beside its infrastructure view, most customer impact first. */
import { useEffect, useMemo } from 'react';
import { LevelBadge } from '../components/Level.js';
import { Empty, ErrorNote, Loading, Tile } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { api, optional } from '../lib/api.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { byCustomerImpact, journeyRows, overviewTotals, paradoxMessage } from '../lib/overview.js';
import { href } from '../lib/route.js';
import { blindSpotMessage } from '../lib/signals.js';
import { runningClocks } from '../lib/tolerance.js';
import { ToleranceClock } from '../components/ToleranceClock.js';
import { useTime } from '../time-context.js';
import { JourneyTable } from './JourneyTable.js';

/** Performance mark set once the overview first shows its data. */
export const READY_MARK = 'vigil:overview-ready';

async function loadOverview() {
  const [journeys, services, incidents] = await Promise.all([
    api.journeys(),
    optional(api.services()),
    optional(api.incidents({ status: 'open,acknowledged' })),
  ]);
  return { journeys: journeys.journeys, services: services?.services ?? null, incidents: incidents?.incidents ?? null };
}

export function OverviewPage({ timeReady }: { timeReady: boolean }) {
  const polled = usePoll(loadOverview, 'overview');
  const time = useTime();
  const data = polled.data;
  const rows = useMemo(() => (data ? journeyRows(data.journeys, data.services, data.incidents ?? []).sort(byCustomerImpact) : []), [data]);
  const totals = useMemo(() => (data ? overviewTotals(rows, data.services, data.journeys) : null), [rows, data]);
  const paradox = paradoxMessage(rows, (r) => formatPercent(r, 1));
  const blindSpots = blindSpotMessage(data?.journeys ?? []);
  const clocks = useMemo(() => runningClocks(data?.journeys ?? []), [data]);
  const ready = data !== null && timeReady;

  // For the speed test and anyone profiling: the first complete render, marked after the frame is painted.
  useEffect(() => {
    if (!ready || performance.getEntriesByName(READY_MARK).length > 0) return;
    requestAnimationFrame(() => setTimeout(() => performance.mark(READY_MARK), 0));
  }, [ready]);

  return (
    <section className="page" aria-labelledby="overview-title" data-ready={ready ? 'true' : undefined}>
      <div className="page-head">
        <div>
          <h1 id="overview-title">Customer journeys</h1>
          <p className="subtitle">
            What customers get, beside what the infrastructure says.
            {polled.updatedAt ? ` Updated ${time.clock(polled.updatedAt)}, refreshed every 15 s.` : null}
          </p>
        </div>
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale={data !== null} /> : null}
      {data === null ? (
        polled.error ? null : (
          <Loading what="journeys" />
        )
      ) : data.journeys.length === 0 ? (
        <Empty title="No journeys configured">Add journeys to vigil.yaml and restart `vigil serve`.</Empty>
      ) : (
        <>
          {paradox || blindSpots ? (
            <div className="paradox" role="status" data-testid="paradox">
              <span className="paradox-icon" aria-hidden="true">
                ⚠
              </span>
              <div>
                <strong>Green-dashboard paradox.</strong> {paradox ? `${paradox}.` : null}
                {blindSpots ? <span data-testid="blind-spot"> {blindSpots}.</span> : null}
              </div>
            </div>
          ) : null}
          {clocks.length > 0 ? (
            <section className="tolerance-clocks" aria-label="Impact tolerances" data-testid="tolerance-clocks">
              {clocks.map((c) => (
                <ToleranceClock key={c.journey} displayName={c.displayName} clock={c.clock} />
              ))}
            </section>
          ) : null}
          {totals ? (
            <div className="tiles">
              <Tile
                label="Journeys paging"
                value={<LevelBadge level={totals.paging > 0 ? 'page' : 'ok'} label={String(totals.paging)} large />}
                detail={`of ${totals.journeys} journeys`}
              />
              <Tile
                label="Journeys with a ticket"
                value={<LevelBadge level={totals.ticketing > 0 ? 'ticket' : 'ok'} label={String(totals.ticketing)} large />}
                detail="budget burning slowly"
              />
              <Tile label="Journeys healthy" value={<span className="big">{totals.healthy}</span>} detail={`of ${totals.journeys}`} />
              <Tile
                label="Infrastructure green"
                value={
                  <span className="big">{totals.infrastructureGreen === null ? '—' : formatPercent(totals.infrastructureGreen, 0)}</span>
                }
                detail={totals.infrastructureGreen === null ? 'alerting data unavailable' : 'services with no firing alert'}
              />
              <Tile
                label="Open incidents"
                value={<span className="big">{data.incidents === null ? '—' : formatCount(data.incidents.length)}</span>}
                detail={data.incidents === null ? 'incident data unavailable' : <a href={href.incidents()}>See incidents</a>}
              />
            </div>
          ) : null}
          {data.services === null ? (
            <p className="note">
              Infrastructure view unavailable: this server does not provide technical alerts per service (/api/v1/services).
            </p>
          ) : null}
          <JourneyTable rows={rows} incidentsKnown={data.incidents !== null} />
        </>
      )}
    </section>
  );
}
