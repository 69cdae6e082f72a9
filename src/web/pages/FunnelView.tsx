/** The funnel: attempts reaching each step as bars, with failures, refusals, abandonment and drop-off in words. */
import type { StepDetail } from '../lib/api-types.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { type FunnelWindow, funnel, worstStep } from '../lib/funnel.js';
import { Empty } from '../components/States.js';

export function FunnelView({ steps, window }: { steps: StepDetail[]; window: FunnelWindow }) {
  const stages = funnel(steps, window);
  const first = stages[0]?.reached ?? 0;
  if (first === 0 && stages.every((s) => s.reached === 0)) {
    return <Empty title="No attempts in this window">Events with a step appear here as they arrive.</Empty>;
  }
  const worst = worstStep(stages);
  const max = Math.max(1, ...stages.map((s) => s.reached));
  return (
    <div className="funnel">
      {worst ? (
        <p className="funnel-summary">
          Most failures at <strong>{worst.displayName}</strong>: {formatCount(worst.failure)} attempts failed (
          {formatPercent(worst.successRate, 2)} success).
        </p>
      ) : (
        <p className="funnel-summary">No step failed a customer in this window.</p>
      )}
      <ol className="funnel-steps">
        {stages.map((s) => (
          <li key={s.step} data-step={s.step}>
            <div className="funnel-head">
              <span className="funnel-name">
                {s.displayName}
                {s.critical ? <span className="critical"> ★</span> : null}
              </span>
              <span className="funnel-reached" data-field="reached">
                {formatCount(s.reached)}{' '}
                <span className="muted small">
                  reached{s.shareOfStart !== null ? ` · ${formatPercent(s.shareOfStart, 0)} of starts` : ''}
                </span>
              </span>
            </div>
            <div className="funnel-bar" aria-hidden="true">
              <span className="seg seg-success" style={{ width: `${(s.success / max) * 100}%` }} />
              <span className="seg seg-failure" style={{ width: `${(s.failure / max) * 100}%` }} />
              <span className="seg seg-rejected" style={{ width: `${(s.rejected / max) * 100}%` }} />
              <span className="seg seg-abandoned" style={{ width: `${(s.abandoned / max) * 100}%` }} />
            </div>
            <div className="funnel-legend small">
              <span>
                <span className="key seg-success" aria-hidden="true" />✓ {formatCount(s.success)} succeeded
              </span>
              <span>
                <span className="key seg-failure" aria-hidden="true" />✕ {formatCount(s.failure)} failed
              </span>
              <span>
                <span className="key seg-rejected" aria-hidden="true" />⊘ {formatCount(s.rejected)} refused
              </span>
              <span>
                <span className="key seg-abandoned" aria-hidden="true" />↩ {formatCount(s.abandoned)} abandoned
              </span>
            </div>
            {s.droppedBeforeNext !== null ? (
              <div className="funnel-drop small" data-field="dropped">
                ↓ {formatCount(s.droppedBeforeNext)} did not reach the next step
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
