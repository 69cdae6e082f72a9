/** Incidents that touch no customer journey: recorded, not paged, folded into one collapsed list so they never crowd out customer impact. */
import { PriorityBadge } from '../components/Level.js';
import type { Incident } from '../lib/api-types.js';
import { formatCount } from '../lib/format.js';
import { useTime } from '../time-context.js';

export function NoJourneyIncidents({ incidents }: { incidents: Incident[] }) {
  const time = useTime();
  const open = incidents.filter((i) => i.status !== 'resolved').length;
  return (
    <section className="stage-group" aria-labelledby="no-journey-title">
      <h2 id="no-journey-title" className="section-title">
        No customer journey <span className="muted small">technical alerts on services no journey depends on: recorded, not paged</span>
      </h2>
      <details className="panel no-journey">
        <summary>
          {formatCount(incidents.length)} incident{incidents.length === 1 ? '' : 's'} ({formatCount(open)} open) — show
        </summary>
        <ul className="plain small">
          {incidents.map((i) => (
            <li key={i.id} id={`incident-${i.id}`} data-incident={i.id}>
              <PriorityBadge priority={i.priority} /> {i.title}{' '}
              <span className="muted">
                · {i.status} · opened {time.dateTime(Date.parse(i.openedAt))}
              </span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
