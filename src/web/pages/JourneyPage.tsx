/** Journey map: the steps as a flow with their services, the funnel, and the selected step's SLOs, alerts and incidents. */
import { useMemo, useState } from 'react';
import { LevelBadge } from '../components/Level.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { ApiError, api, optional } from '../lib/api.js';
import type { FunnelWindow } from '../lib/funnel.js';
import { servicesByName } from '../lib/infrastructure.js';
import { href } from '../lib/route.js';
import { sloLevel, worstLevel } from '../lib/status.js';
import { useTime } from '../time-context.js';
import { FunnelView } from './FunnelView.js';
import { JourneyFlow } from './JourneyFlow.js';
import { SignalsStream } from './SignalsStream.js';
import { SloCards } from './SloCards.js';
import { StepPanel } from './StepPanel.js';
import { ToleranceClock } from '../components/ToleranceClock.js';
import { toleranceDuration } from '../lib/tolerance.js';

async function loadJourney(journey: string) {
  const [detail, services, incidents, sources] = await Promise.all([
    api.journey(journey),
    optional(api.services()),
    optional(api.incidents({ status: 'open,acknowledged', journey })),
    optional(api.sources()),
  ]);
  return { detail, services: services?.services ?? null, incidents: incidents?.incidents ?? null, sources: sources?.slis ?? null };
}

export function JourneyPage({ journey, step }: { journey: string; step: string | null }) {
  const polled = usePoll(() => loadJourney(journey), `journey:${journey}`);
  const time = useTime();
  const [funnelWindow, setFunnelWindow] = useState<FunnelWindow>('1h');
  const data = polled.data;
  const byName = useMemo(() => (data?.services ? servicesByName(data.services) : null), [data]);

  if (data === null) {
    if (polled.error instanceof ApiError && polled.error.status === 404) {
      return (
        <Empty title={`No journey named “${journey}”`}>
          <a href={href.overview()}>Back to the overview</a>
        </Empty>
      );
    }
    return polled.error ? <ErrorNote error={polled.error} stale={false} /> : <Loading what={`journey ${journey}`} />;
  }

  const { detail } = data;
  const objective = detail.slos[0]?.objective ?? null;
  const selected = detail.steps.find((s) => s.name === step) ?? null;
  const level = worstLevel(detail.slos.map(sloLevel));

  return (
    <section className="page" aria-labelledby="journey-title" data-ready="true">
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href.overview()}>Journeys</a> <span aria-hidden="true">›</span> <span aria-current="page">{detail.displayName}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="journey-title">
            {detail.displayName} <LevelBadge level={level} large />
          </h1>
          <p className="subtitle">
            {detail.tier} tier{detail.owner ? ` · owned by ${detail.owner}` : ''}
            {detail.description ? ` · ${detail.description}` : ''}
            {polled.updatedAt ? ` · updated ${time.clock(polled.updatedAt)}` : ''} ·{' '}
            <a href={href.retention(detail.name)}>retention by failures met</a>
          </p>
        </div>
        <a className="button button-quiet" href={href.value(detail.name)} data-field="value-link">
          What unreliability cost →
        </a>
      </div>
      {polled.error ? <ErrorNote error={polled.error} stale /> : null}
      {detail.impactTolerance?.clock ? (
        <ToleranceClock displayName={detail.displayName} clock={detail.impactTolerance.clock} />
      ) : detail.impactTolerance ? (
        <p className="note" data-testid="tolerance-none">
          Important business service · impact tolerance {toleranceDuration(detail.impactTolerance.toleranceSeconds)} · no disruption now
        </p>
      ) : null}
      <h2 className="section-title">Journey map</h2>
      <p className="hint">Each step is coloured by its success over the last hour. Select a step for its SLOs, alerts and incidents.</p>
      <JourneyFlow journey={detail.name} steps={detail.steps} selected={selected?.name ?? null} objective={objective} services={byName} />
      {selected ? (
        <StepPanel journey={detail.name} step={selected} slos={detail.slos} services={byName} incidents={data.incidents} />
      ) : null}
      <div className="two-col">
        <div>
          <div className="section-row">
            <h2 className="section-title">Funnel</h2>
            <fieldset className="toggle" aria-label="Funnel window">
              {(['1h', '1d'] as const).map((w) => (
                <button key={w} type="button" aria-pressed={funnelWindow === w} onClick={() => setFunnelWindow(w)}>
                  {w === '1h' ? 'Last hour' : 'Last 24 h'}
                </button>
              ))}
            </fieldset>
          </div>
          <FunnelView steps={detail.steps} window={funnelWindow} />
        </div>
        <div>
          <h2 className="section-title">SLOs</h2>
          <SloCards journey={detail.name} slos={detail.slos} sources={data.sources} />
          <SignalsStream journey={detail.name} status={detail.signals ?? null} />
        </div>
      </div>
    </section>
  );
}
