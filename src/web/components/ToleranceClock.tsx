/** A running disruption clock against its impact tolerance (docs/impact-tolerances.md ("Where the clock shows")). */
import type { Disruption } from '../lib/api-types.js';
import { href } from '../lib/route.js';
import { clockText, toleranceUsed } from '../lib/tolerance.js';
import { useTime } from '../time-context.js';

const ICON = { ok: '◷', warning: '▲', breached: '●' } as const;

export function ToleranceClock({ displayName, clock }: { displayName: string; clock: Disruption }) {
  const time = useTime();
  const used = toleranceUsed(clock);
  return (
    <div className={`tolerance-clock tolerance-${clock.level}`} role="status" data-testid="tolerance-clock" data-journey={clock.journey}>
      <span className="tolerance-icon" aria-hidden="true">
        {ICON[clock.level]}
      </span>
      <div className="tolerance-body">
        <strong data-field="clock-text">{clockText(displayName, clock)}</strong>
        <div className="tolerance-bar" aria-hidden="true">
          <span style={{ width: `${Math.round(used * 100)}%` }} />
        </div>
        <span className="small muted">
          since {time.dateTime(Date.parse(clock.start))} · <a href={href.incidents(clock.incidentId)}>incident {clock.incidentId}</a>
        </span>
      </div>
    </div>
  );
}
