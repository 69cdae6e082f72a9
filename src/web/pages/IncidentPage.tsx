/** One incident's own page, however old: what every link to an incident opens (GET /api/v1/incidents/{id}). */
import { ErrorNote, Empty, Loading } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { ApiError, api } from '../lib/api.js';
import { href } from '../lib/route.js';
import { DoraPanel } from './DoraPanel.js';
import { IncidentCard } from './IncidentCard.js';

async function loadIncident(id: string) {
  // A server without the regulatory route (an older one) still shows the incident.
  const [incident, journeys, dora] = await Promise.all([
    api.incident(id),
    api.journeys(),
    api.regulatory(id).catch((error: unknown) => {
      if (error instanceof ApiError && error.unavailable) return null;
      throw error;
    }),
  ]);
  const names = new Map(journeys.journeys.map((j) => [j.name, j.displayName]));
  return { incident, names, dora };
}

export function IncidentPage({ id }: { id: string }) {
  const polled = usePoll(() => loadIncident(id), `incident:${id}`);
  const data = polled.data;
  const missing = polled.error instanceof ApiError && polled.error.code === 'incident_not_found';
  return (
    <section className="page" aria-labelledby="incident-page-title" data-ready={data ? 'true' : undefined}>
      <div className="page-head">
        <div>
          <p className="crumbs small">
            <a href={href.incidents()}>Incidents</a> › <a href={href.history()}>History</a> › {id}
          </p>
          <h1 id="incident-page-title">Incident {id}</h1>
        </div>
      </div>
      {missing ? (
        <Empty title="No such incident">
          No incident has the id {id}. <a href={href.history()}>Search the incident history</a>
        </Empty>
      ) : (
        <>
          {polled.error ? <ErrorNote error={polled.error} stale={data !== null} /> : null}
          {data === null ? (
            polled.error ? null : (
              <Loading what="the incident" />
            )
          ) : (
            <>
              {data.incident.mergedInto ? (
                <p className="note" data-testid="merged-into">
                  Merged into <a href={href.incidents(data.incident.mergedInto)}>{data.incident.mergedInto}</a>.
                </p>
              ) : null}
              <IncidentCard incident={data.incident} names={data.names} focused={true} expanded={true} onChange={polled.reload} />
              {data.dora ? <DoraPanel dora={data.dora} /> : null}
            </>
          )}
        </>
      )}
    </section>
  );
}
