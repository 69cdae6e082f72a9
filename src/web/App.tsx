/** The dashboard shell: header, navigation, time zone, and the page for the current route. */
import { useEffect, useMemo, useState } from 'react';
import { useRoute } from './hooks/use-route.js';
import { usePoll } from './hooks/use-poll.js';
import { api, tokenGate } from './lib/api.js';
import { clusterView, hidesCluster } from './lib/cluster.js';
import { timeFormat } from './lib/format.js';
import { href, type Route } from './lib/route.js';
import { HistoryPage } from './pages/HistoryPage.js';
import { IncidentPage } from './pages/IncidentPage.js';
import { IncidentsPage } from './pages/IncidentsPage.js';
import { InfrastructurePage } from './pages/InfrastructurePage.js';
import { JourneyPage } from './pages/JourneyPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { RetentionPage } from './pages/RetentionPage.js';
import { SloPage } from './pages/SloPage.js';
import { ValuePage } from './pages/ValuePage.js';
import { CompetitionPage } from './pages/CompetitionPage.js';
import { ClusterBanner, ClusterIndicator } from './components/Cluster.js';
import { Empty } from './components/States.js';
import { TokenPrompt } from './components/TokenPrompt.js';
import { TimeContext, useTime } from './time-context.js';

function Page({ route, timeReady }: { route: Route; timeReady: boolean }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage timeReady={timeReady} />;
    case 'journey':
      return <JourneyPage journey={route.journey} step={route.step} />;
    case 'slo':
      return <SloPage journey={route.journey} slo={route.slo} />;
    case 'value':
      return <ValuePage journey={route.journey} period={route.period} />;
    case 'retention':
      return <RetentionPage journey={route.journey} period={route.period} />;
    case 'incidents':
      return <IncidentsPage />;
    case 'incident':
      return <IncidentPage id={route.id} />;
    case 'history':
      return <HistoryPage filters={route.filters} />;
    case 'services':
      return <InfrastructurePage />;
    case 'competition':
      return <CompetitionPage />;
    default:
      return (
        <Empty title="No such page">
          <a href={href.overview()}>Back to the overview</a>
        </Empty>
      );
  }
}

function Clock() {
  const time = useTime();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className="clock" title={`Times are shown in ${time.timeZone}`}>
      {time.clock(now)} <span className="muted">{time.zoneName(now)}</span>
    </span>
  );
}

export function App() {
  const route = useRoute();
  const info = usePoll(() => api.info(), 'info', 300_000);
  const time = useMemo(() => timeFormat(info.data?.timezone ?? 'UTC'), [info.data?.timezone]);
  const timeReady = info.data !== null || info.error !== null;
  // The nodes serving this store (docs/scale-out.md ("The nodes")): nothing on a single server or when the token may not read it.
  const cluster = usePoll(() => api.cluster(), 'cluster', 20_000);
  const nodes = cluster.data && !hidesCluster(cluster.error) ? clusterView(cluster.data) : null;

  useEffect(() => {
    const titles: Record<Route['page'], string> = {
      overview: 'Overview',
      journey: 'Journey',
      slo: 'SLO',
      value: 'What unreliability cost',
      retention: 'Retention',
      incidents: 'Incidents',
      incident: 'Incident',
      history: 'Incident history',
      services: 'Where to invest',
      competition: 'Competition',
      'not-found': 'Not found',
    };
    document.title = `${titles[route.page]} · Vigil`;
    window.scrollTo(0, 0);
  }, [route]);

  const section =
    route.page === 'incidents' || route.page === 'incident' || route.page === 'history'
      ? 'incidents'
      : route.page === 'services'
        ? 'services'
        : route.page === 'competition'
          ? 'competition'
          : 'overview';
  return (
    <TimeContext.Provider value={time}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar" data-cluster={cluster.data?.mode}>
        <a className="brand" href={href.overview()}>
          <span className="brand-mark" aria-hidden="true">
            ◎
          </span>
          Vigil
        </a>
        <nav aria-label="Main">
          <a href={href.overview()} aria-current={section === 'overview' ? 'page' : undefined}>
            Journeys
          </a>
          <a href={href.incidents()} aria-current={section === 'incidents' ? 'page' : undefined}>
            Incidents
          </a>
          <a href={href.services()} aria-current={section === 'services' ? 'page' : undefined}>
            Services
          </a>
          <a href={href.competition()} aria-current={section === 'competition' ? 'page' : undefined}>
            Competition
          </a>
        </nav>
        <div className="topbar-right">
          {nodes ? <ClusterIndicator view={nodes} /> : null}
          <Clock />
          {info.data ? <span className="muted">v{info.data.version}</span> : null}
        </div>
      </header>
      {nodes && nodes.differences.length > 0 ? <ClusterBanner differences={nodes.differences} /> : null}
      <main id="main" tabIndex={-1}>
        <Page route={route} timeReady={timeReady} />
      </main>
      <TokenPrompt gate={tokenGate} />
    </TimeContext.Provider>
  );
}
