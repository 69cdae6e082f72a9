/** Incidents: open and recent incidents grouped by journey stage, the noise figure, acknowledge and resolve. */
import { useMemo } from 'react';
import { Empty, ErrorNote, Loading, Tile } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { api, optional } from '../lib/api.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { groupByStage, noiseSentence } from '../lib/incidents.js';
import { href } from '../lib/route.js';
import { useTime } from '../time-context.js';
import { IncidentCard } from './IncidentCard.js';
import { NoJourneyIncidents } from './NoJourneyIncidents.js';

const RECENT_MS = 24 * 3_600_000;
const AUTO_EXPANDED = 6;

async function loadIncidents() {
  const now = Date.now();
  const [incidents, stats, journeys] = await Promise.all([
    optional(api.incidents({ fromMs: now - RECENT_MS, toMs: now })),
    optional(api.noise(now - RECENT_MS, now)),
    api.journeys(),
  ]);
  const names = new Map(journeys.journeys.map((j) => [j.name, j.displayName]));
  return { incidents: incidents?.incidents ?? null, stats, names, now };
}

export function IncidentsPage() {
  const polled = usePoll(loadIncidents, 'incidents');
  const time = useTime();
  const data = polled.data;
  const groups = useMemo(() => (data?.incidents ? groupByStage(data.incidents, data.names) : []), [data]);
  // Alert timelines open by themselves for the most urgent unresolved incidents only: each one polls its detail.
  const expanded = useMemo(
    () =>
      new Set(
        groups
          .flatMap((g) => (g.journey === null ? [] : g.incidents.filter((i) => i.status !== 'resolved')))
          .slice(0, AUTO_EXPANDED)
          .map((i) => i.id),
      ),
    [groups],
  );
  const open = data?.incidents?.filter((i) => i.status !== 'resolved').length ?? 0;

  return (
    <section className="page" aria-labelledby="incidents-title" data-ready={data ? 'true' : undefined}>
      <div className="page-head">
        <div>
          <h1 id="incidents-title">Incidents</h1>
          <p className="subtitle">
            Technical alerts folded into customer-impacting incidents, ranked by customers and money at stake. Open now and the last 24 h;
            older ones are in the <a href={href.history()}>incident history</a>.
            {polled.updatedAt ? ` Updated ${time.clock(polled.updatedAt)}.` : ''}
          </p>
        </div>
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale={data !== null} /> : null}
      {data === null ? (
        polled.error ? null : (
          <Loading what="incidents" />
        )
      ) : data.incidents === null ? (
        <Empty title="Alerting data unavailable">
          This server does not provide incidents (/api/v1/incidents). SLO burn alerts are on each journey’s SLO pages.
        </Empty>
      ) : (
        <>
          <div className="tiles">
            <Tile
              label="Open incidents"
              value={<span className="big">{open}</span>}
              detail={`${data.incidents.length - open} resolved in 24 h`}
            />
            {data.stats ? (
              <>
                <Tile
                  label="Alerts received"
                  value={<span className="big">{formatCount(data.stats.alertsReceived)}</span>}
                  detail="last 24 h"
                />
                <Tile
                  label="Incidents paged"
                  value={<span className="big">{formatCount(data.stats.incidentsPaged)}</span>}
                  detail={`of ${formatCount(data.stats.incidentsOpened)} incidents opened`}
                />
                <Tile
                  label="Noise folded away"
                  value={
                    <span className="big">
                      {data.stats.compressionRatio === null ? '—' : formatPercent(data.stats.compressionRatio, 1)}
                    </span>
                  }
                  detail="1 − incidents ÷ alerts"
                />
              </>
            ) : null}
          </div>
          {data.stats ? (
            <p className="noise" data-testid="noise">
              {noiseSentence(data.stats, formatCount)}
            </p>
          ) : (
            <p className="note">Noise figures unavailable (/api/v1/incidents/stats).</p>
          )}
          {groups.length === 0 ? (
            <Empty title="No incidents in the last 24 hours">
              <span aria-hidden="true">✓ </span>Technical alerts that touch a customer journey will appear here, folded by journey stage.
            </Empty>
          ) : (
            groups.map((group) =>
              group.journey === null ? (
                <NoJourneyIncidents key="" incidents={group.incidents} />
              ) : (
                <section key={group.key} className="stage-group" aria-label={group.label}>
                  <h2 className="section-title">
                    {group.journey ? <a href={href.journey(group.journey, group.step ?? undefined)}>{group.label}</a> : group.label}{' '}
                    <span className="muted small">
                      {group.incidents.length} incident{group.incidents.length === 1 ? '' : 's'}
                    </span>
                  </h2>
                  <ul className="incident-list">
                    {group.incidents.map((incident) => (
                      <li key={incident.id}>
                        <IncidentCard
                          incident={incident}
                          names={data.names}
                          focused={false}
                          expanded={expanded.has(incident.id)}
                          onChange={polled.reload}
                        />
                      </li>
                    ))}
                  </ul>
                </section>
              ),
            )
          )}
        </>
      )}
    </section>
  );
}
