/** One incident: priority and reason, impact, stages, acknowledge/resolve, and its alerts on a timeline. */
import { useState } from 'react';
import { PriorityBadge } from '../components/Level.js';
import type { Incident } from '../lib/api-types.js';
import { api } from '../lib/api.js';
import { formatBurn, formatCount, formatDuration, formatValueAtRisk } from '../lib/format.js';
import { incidentActions } from '../lib/incidents.js';
import { href } from '../lib/route.js';
import { useTime } from '../time-context.js';
import { AlertTimeline } from './AlertTimeline.js';

const STATUS: Record<Incident['status'], { icon: string; label: string; className: string }> = {
  open: { icon: '●', label: 'Open', className: 'lvl-page' },
  acknowledged: { icon: '◐', label: 'Acknowledged', className: 'lvl-ticket' },
  resolved: { icon: '✓', label: 'Resolved', className: 'lvl-ok' },
};

interface Props {
  incident: Incident;
  names: ReadonlyMap<string, string>;
  focused: boolean;
  expanded: boolean;
  onChange: () => void;
}

export function IncidentCard({ incident, names, focused, expanded, onChange }: Props) {
  const time = useTime();
  const [busy, setBusy] = useState<null | 'ack' | 'resolve'>(null);
  const [error, setError] = useState<string | null>(null);
  const [showAlerts, setShowAlerts] = useState(expanded);
  const actions = incidentActions(incident);
  const status = STATUS[incident.status];
  const impact = incident.impact;
  const opened = Date.parse(incident.openedAt);
  const end = incident.resolvedAt === null ? Date.now() : Date.parse(incident.resolvedAt);

  const act = (kind: 'ack' | 'resolve') => {
    setBusy(kind);
    setError(null);
    (kind === 'ack' ? api.acknowledge(incident.id) : api.resolve(incident.id)).then(
      () => {
        setBusy(null);
        onChange();
      },
      (e: unknown) => {
        setBusy(null);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  return (
    <article
      id={`incident-${incident.id}`}
      className={`incident panel prio-edge-${incident.priority.toLowerCase()}${focused ? ' incident-focused' : ''}`}
      data-incident={incident.id}
      aria-labelledby={`incident-title-${incident.id}`}
    >
      <header className="incident-head">
        <PriorityBadge priority={incident.priority} />
        <h3 id={`incident-title-${incident.id}`}>
          <a href={href.incidents(incident.id)}>{incident.title}</a>
        </h3>
        <span className={`badge ${status.className}`} data-field="status">
          <span aria-hidden="true" className="badge-icon">
            {status.icon}
          </span>
          {status.label}
        </span>
        {incident.paged ? <span className="muted small">paged</span> : <span className="muted small">not paged</span>}
      </header>
      <p className="reason" data-field="reason">
        {incident.reason}
      </p>
      <dl className="impact">
        <div>
          <dt>Customers affected</dt>
          <dd data-field="customers">{impact ? formatCount(impact.customersAffected) : '—'}</dd>
        </div>
        <div>
          <dt>Value at risk</dt>
          <dd data-field="value">{formatValueAtRisk(impact?.valueAtRiskPerHour)}</dd>
        </div>
        <div>
          <dt>Failures</dt>
          <dd>{impact ? `${formatCount(Math.round(impact.failuresPerHour))}/h` : '—'}</dd>
        </div>
        <div>
          <dt>Burn rate</dt>
          <dd>{formatBurn(impact?.maxBurnRate ?? null)}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            {time.dateTime(opened)}{' '}
            <span className="muted small">
              ({formatDuration(end - opened)}
              {incident.resolvedAt ? '' : ' so far'})
            </span>
          </dd>
        </div>
      </dl>
      <p className="stages small">
        <span className="muted">Stages: </span>
        {incident.stages.length === 0
          ? 'none (no customer journey depends on these services)'
          : incident.stages.map((s, i) => (
              <span key={`${s.journey}/${s.step}`}>
                {i > 0 ? ', ' : ''}
                <a href={href.journey(s.journey, s.step ?? undefined)}>
                  {names.get(s.journey) ?? s.journey}
                  {s.step ? ` › ${s.step}` : ''}
                </a>
              </span>
            ))}
        {incident.services.length > 0 ? <span className="muted"> · services: {incident.services.join(', ')}</span> : null}
      </p>
      <div className="incident-actions">
        {actions.acknowledge ? (
          <button type="button" className="button" disabled={busy !== null} onClick={() => act('ack')}>
            {busy === 'ack' ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        ) : null}
        {actions.resolve ? (
          <button type="button" className="button button-quiet" disabled={busy !== null} onClick={() => act('resolve')}>
            {busy === 'resolve' ? 'Resolving…' : 'Resolve'}
          </button>
        ) : null}
        <button type="button" className="button button-quiet" aria-expanded={showAlerts} onClick={() => setShowAlerts((v) => !v)}>
          {showAlerts ? 'Hide' : 'Show'} {incident.alertCount} alert{incident.alertCount === 1 ? '' : 's'}
        </button>
        {incident.acknowledgedAt ? (
          <span className="muted small">acknowledged {time.clock(Date.parse(incident.acknowledgedAt))}</span>
        ) : null}
        {error ? (
          <span className="state-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {showAlerts ? <AlertTimeline incidentId={incident.id} resolvedAt={incident.resolvedAt} /> : null}
    </article>
  );
}
