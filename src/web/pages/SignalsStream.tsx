/** A journey's customer signals beside its SLOs (docs/signals.md): the last hour against the usual, and the latest complaints. */
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { api } from '../lib/api.js';
import type { SignalStatus } from '../lib/api-types.js';
import { signalOrigin, signalStatusText } from '../lib/signals.js';
import { useTime } from '../time-context.js';

export function SignalsStream({ journey, status }: { journey: string; status: SignalStatus | null }) {
  const polled = usePoll(() => api.signals(journey), `signals:${journey}`);
  const time = useTime();
  const signals = polled.data?.signals ?? null;
  const level = status?.blindSpot ? 'page' : status?.spiking ? 'ticket' : 'ok';
  return (
    <section className="signals-stream" aria-labelledby="signals-title" data-testid="signals-stream">
      <h2 className="section-title" id="signals-title">
        Customer signals
      </h2>
      {status ? (
        <p className={`signals-status lvl-${level}`} data-field="signals-status">
          {signalStatusText(status)}
        </p>
      ) : null}
      {polled.error ? <ErrorNote error={polled.error} stale={signals !== null} /> : null}
      {signals === null ? (
        polled.error ? null : (
          <Loading what="signals" />
        )
      ) : signals.length === 0 ? (
        <Empty title="No complaints or mentions received">Post them to /api/v1/signals (docs/signals.md).</Empty>
      ) : (
        <ol className="signals-list">
          {signals.map((s) => (
            <li key={s.id} data-signal={s.id}>
              <span className="muted small">
                {time.dateTime(Date.parse(s.at))} · {signalOrigin(s)}
              </span>
              <span className="signal-text">{s.text ?? '(no text)'}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
