/** The technical alerts folded into an incident, as bars on a shared timeline (firing ones run to now). */
import { usePoll } from '../hooks/use-poll.js';
import { api } from '../lib/api.js';
import { alertTimeline } from '../lib/incidents.js';
import { useTime } from '../time-context.js';
import { Loading } from '../components/States.js';

export function AlertTimeline({ incidentId, resolvedAt }: { incidentId: string; resolvedAt: string | null }) {
  const polled = usePoll(() => api.incident(incidentId), `incident:${incidentId}`);
  const time = useTime();
  if (polled.data === null)
    return polled.error ? <p className="muted small">Alerts unavailable: {polled.error.message}</p> : <Loading what="alerts" />;
  const { from, to, bars } = alertTimeline(polled.data.alerts, resolvedAt === null ? Date.now() : Date.parse(resolvedAt));
  if (bars.length === 0) return <p className="muted small">No alert is attached to this incident.</p>;
  return (
    <div className="timeline">
      <div className="timeline-axis small muted" aria-hidden="true">
        <span>{time.dateTime(from)}</span>
        <span>{time.dateTime(to)}</span>
      </div>
      <ol className="timeline-rows" aria-label="Alerts in this incident, earliest first">
        {bars.map((b) => (
          <li key={b.key} className="timeline-row">
            <span className="timeline-label small">
              <span className={b.firing ? 'lvl-ticket' : 'lvl-ok'} aria-hidden="true">
                {b.firing ? '▲' : '✓'}{' '}
              </span>
              <strong>{b.name}</strong>
              {b.service ? ` · ${b.service}` : ''}
              {b.severity ? ` · ${b.severity}` : ''}
              <span className="visually-hidden">
                {' '}
                {b.firing ? 'firing' : 'resolved'} from {time.dateTime(b.startsAt)}
                {b.endsAt ? ` to ${time.dateTime(b.endsAt)}` : ''}
              </span>
            </span>
            <span className="timeline-track" aria-hidden="true">
              <span
                className={`timeline-bar ${b.firing ? 'bar-firing' : 'bar-resolved'}`}
                style={{ left: `${b.left}%`, width: `${b.width}%` }}
                title={`${time.clock(b.startsAt)}${b.endsAt ? `–${time.clock(b.endsAt)}` : ' → now'}`}
              />
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
