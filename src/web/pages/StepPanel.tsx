/** The selected step: its SLOs, the technical alerts firing on its services, and the incidents touching it. */
import { LevelBadge, PriorityBadge } from '../components/Level.js';
import type { Incident, ServiceState, SloStatus, StepDetail } from '../lib/api-types.js';
import { formatBudget, formatCount, formatPercent, formatSli } from '../lib/format.js';
import { href } from '../lib/route.js';
import { sloLevel } from '../lib/status.js';
import { useTime } from '../time-context.js';

interface Props {
  journey: string;
  step: StepDetail;
  slos: SloStatus[];
  services: Map<string, ServiceState> | null;
  incidents: Incident[] | null;
}

export function StepPanel({ journey, step, slos, services, incidents }: Props) {
  const time = useTime();
  const stepSlos = slos.filter((s) => step.slos.includes(s.slo));
  const firing =
    services === null
      ? null
      : step.services.flatMap((name) => (services.get(name)?.alerts ?? []).map((alert) => ({ service: name, alert })));
  const touching =
    incidents === null
      ? null
      : incidents.filter((i) => i.stages.some((s) => s.journey === journey && (s.step === step.name || s.step === null)));
  const day = step.outcomes['1d'];

  return (
    <section className="panel step-panel" aria-labelledby="step-panel-title" data-testid="step-panel">
      <div className="section-row">
        <h2 id="step-panel-title" className="section-title">
          Step: {step.displayName} {step.critical ? <span className="critical">★ critical</span> : null}
        </h2>
        <a href={href.journey(journey)} className="close-link">
          Close <span aria-hidden="true">✕</span>
        </a>
      </div>
      <p className="muted">
        Last 24 h: {formatCount(day.success)} succeeded, {formatCount(day.failure)} failed, {formatCount(day.rejected)} refused,{' '}
        {formatCount(day.abandoned)} abandoned ({formatPercent(day.successRate, 2)} success).
      </p>
      <div className="three-col">
        <div>
          <h3>SLOs on this step</h3>
          {stepSlos.length === 0 ? (
            <p className="muted">No SLO is scoped to this step; the journey’s SLOs cover it end to end.</p>
          ) : (
            <ul className="plain">
              {stepSlos.map((s) => (
                <li key={s.slo}>
                  <a href={href.slo(journey, s.slo)}>{s.displayName}</a> <LevelBadge level={sloLevel(s)} />{' '}
                  {formatSli(s.attainment, s.objective)} of {s.objective}% · budget {formatBudget(s.errorBudget.remaining)}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Firing technical alerts</h3>
          {firing === null ? (
            <p className="muted">Alerting data unavailable on this server.</p>
          ) : firing.length === 0 ? (
            <p className="muted">
              <span aria-hidden="true">✓ </span>None on {step.services.join(', ')}.
            </p>
          ) : (
            <ul className="plain">
              {firing.map(({ service, alert }) => (
                <li key={alert.key}>
                  <span className="lvl-ticket" aria-hidden="true">
                    ▲{' '}
                  </span>
                  <strong>{alert.name}</strong> on {service}
                  {alert.severity ? ` (${alert.severity})` : ''} since {time.clock(Date.parse(alert.startsAt))}
                  {alert.summary ? <span className="muted small block">{alert.summary}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Open incidents</h3>
          {touching === null ? (
            <p className="muted">Incident data unavailable on this server.</p>
          ) : touching.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="plain">
              {touching.map((i) => (
                <li key={i.id}>
                  <PriorityBadge priority={i.priority} /> <a href={href.incidents(i.id)}>{i.title}</a>
                  <span className="muted small block">{i.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
