/** The journey's steps drawn left to right, each coloured by its last-hour success, its services beneath. */
import type { ServiceState, StepDetail } from '../lib/api-types.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { href } from '../lib/route.js';
import { LEVELS, successLevel } from '../lib/status.js';

interface Props {
  journey: string;
  steps: StepDetail[];
  selected: string | null;
  objective: number | null;
  services: Map<string, ServiceState> | null;
}

function ServiceChip({ name, state }: { name: string; state: ServiceState | undefined | null }) {
  const firing = state?.firingAlerts ?? 0;
  return (
    <li
      className={`service ${firing > 0 ? 'service-firing' : ''}`}
      title={firing > 0 ? state!.alerts.map((a) => a.name).join(', ') : 'no technical alert firing'}
    >
      <span aria-hidden="true">{state === null ? '·' : firing > 0 ? '▲' : '✓'}</span> {name}
      {firing > 0 ? <span className="visually-hidden"> ({firing} alerts firing)</span> : null}
      {firing > 0 ? <span className="service-count">{firing}</span> : null}
    </li>
  );
}

export function JourneyFlow({ journey, steps, selected, objective, services }: Props) {
  return (
    <ol className="flow" aria-label="Journey steps in order">
      {steps.map((step, i) => {
        const hour = step.outcomes['1h'];
        const level = objective === null ? 'nodata' : successLevel(hour.successRate, objective);
        const style = LEVELS[level];
        const isSelected = selected === step.name;
        return (
          <li key={step.name} className="flow-item">
            {i > 0 ? (
              <span className="flow-arrow" aria-hidden="true">
                →
              </span>
            ) : null}
            <div className="flow-col">
              <a
                className={`step ${style.className}${isSelected ? ' step-selected' : ''}`}
                href={isSelected ? href.journey(journey) : href.journey(journey, step.name)}
                aria-current={isSelected ? 'true' : undefined}
                data-step={step.name}
              >
                <span className="step-name">
                  {step.displayName}
                  {step.critical ? (
                    <span className="critical" title="Critical step">
                      ★ critical
                    </span>
                  ) : null}
                </span>
                <span className="step-figure">
                  <span aria-hidden="true">{style.icon}</span> {formatPercent(hour.successRate, 2)}
                </span>
                <span className="step-sub">
                  {formatCount(hour.success + hour.failure)} attempts/h · {formatCount(hour.failure)} failed
                </span>
              </a>
              <ul className="services" aria-label={`Services behind ${step.displayName}`}>
                {step.services.map((s) => (
                  <ServiceChip key={s} name={s} state={services === null ? null : services.get(s)} />
                ))}
              </ul>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
