/** The incident history: every incident ever stored, filtered, paged and exported as CSV (docs/api.md ("Incident history")). */
import { type FormEvent, useState } from 'react';
import { PriorityBadge } from '../components/Level.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { usePoll } from '../hooks/use-poll.js';
import { api } from '../lib/api.js';
import { formatCount, formatDuration, formatValueAtRisk } from '../lib/format.js';
import {
  HISTORY_PRIORITIES,
  HISTORY_RANGES,
  HISTORY_STATUSES,
  type HistoryFilters,
  type HistoryRange,
  historyQuery,
  incidentParams,
  pageLabel,
} from '../lib/history.js';
import { href } from '../lib/route.js';
import { useTime } from '../time-context.js';

const RANGE_LABEL: Record<HistoryRange, string> = {
  '24h': 'Last 24 h',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
};

async function loadHistory(filters: HistoryFilters) {
  const [page, journeys] = await Promise.all([api.incidentPage(incidentParams(filters, Date.now())), api.journeys()]);
  return { page, journeys: journeys.journeys.map((j) => ({ name: j.name, displayName: j.displayName })) };
}

/** Go to the first page of these filters (a new search starts over). */
const search = (filters: HistoryFilters) => {
  window.location.hash = href.history({ ...filters, cursor: '', skip: 0 });
};

const toggle = (list: string[], value: string): string[] => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

export function HistoryPage({ filters }: { filters: HistoryFilters }) {
  const time = useTime();
  const polled = usePoll(() => loadHistory(filters), `history:${historyQuery(filters)}`);
  const data = polled.data;
  const [text, setText] = useState(filters.q);
  const [exporting, setExporting] = useState<string | null>(null);
  const names = new Map((data?.journeys ?? []).map((j) => [j.name, j.displayName]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    search({ ...filters, q: text });
  };
  const exportCsv = () => {
    setExporting('Exporting…');
    api.incidentsCsv(incidentParams(filters, Date.now(), true)).then(
      (blob) => {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = 'incidents.csv';
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        setExporting(null);
      },
      (e: unknown) => setExporting(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <section className="page" aria-labelledby="history-title" data-ready={data ? 'true' : undefined}>
      <div className="page-head">
        <div>
          <p className="crumbs small">
            <a href={href.incidents()}>Incidents</a> › History
          </p>
          <h1 id="history-title">Incident history</h1>
          <p className="subtitle">Every incident stored, newest first. Filter, page through, or export what you see as CSV.</p>
        </div>
      </div>
      <form className="history-filters panel" onSubmit={submit} aria-label="Filters">
        <label>
          Text{' '}
          <input type="search" name="q" value={text} placeholder="title, reason or service" onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          Journey{' '}
          <select name="journey" value={filters.journey} onChange={(e) => search({ ...filters, q: text, journey: e.target.value })}>
            <option value="">All journeys</option>
            {(data?.journeys ?? []).map((j) => (
              <option key={j.name} value={j.name}>
                {j.displayName}
              </option>
            ))}
            {filters.journey && !names.has(filters.journey) ? <option value={filters.journey}>{filters.journey}</option> : null}
          </select>
        </label>
        <label>
          Time{' '}
          <select
            name="range"
            value={filters.range}
            onChange={(e) => search({ ...filters, q: text, range: e.target.value as HistoryRange })}
          >
            {HISTORY_RANGES.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABEL[r]}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Priority</legend>
          {HISTORY_PRIORITIES.map((p) => (
            <label key={p} className="check">
              <input
                type="checkbox"
                name="priority"
                value={p}
                checked={filters.priority.includes(p)}
                onChange={() => search({ ...filters, q: text, priority: toggle(filters.priority, p) })}
              />
              {p}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Status</legend>
          {HISTORY_STATUSES.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                name="status"
                value={s}
                checked={filters.status.includes(s)}
                onChange={() => search({ ...filters, q: text, status: toggle(filters.status, s) })}
              />
              {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button">
          Search
        </button>
        <button type="button" className="button button-quiet" onClick={exportCsv} disabled={exporting === 'Exporting…'}>
          Export CSV
        </button>
        {exporting && exporting !== 'Exporting…' ? (
          <span className="state-error" role="alert">
            {exporting}
          </span>
        ) : null}
      </form>
      {polled.error ? <ErrorNote error={polled.error} stale={data !== null} /> : null}
      {data === null ? (
        polled.error ? null : (
          <Loading what="the incident history" />
        )
      ) : data.page.incidents.length === 0 ? (
        <Empty title="No incident matches">Widen the time range or clear a filter.</Empty>
      ) : (
        <>
          <table className="table history-table">
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Incident</th>
                <th scope="col">Status</th>
                <th scope="col">Journeys</th>
                <th scope="col">Opened</th>
                <th scope="col">Lasted</th>
                <th scope="col" className="num">
                  Customers
                </th>
                <th scope="col" className="num">
                  Value at risk
                </th>
              </tr>
            </thead>
            <tbody>
              {data.page.incidents.map((incident) => {
                const opened = Date.parse(incident.openedAt);
                const end = incident.resolvedAt === null ? null : Date.parse(incident.resolvedAt);
                return (
                  <tr key={incident.id} data-incident={incident.id}>
                    <td>
                      <PriorityBadge priority={incident.priority} />
                    </td>
                    <td>
                      <a href={href.incidents(incident.id)}>{incident.title}</a>
                      <div className="muted small">{incident.reason}</div>
                    </td>
                    <td data-field="status">{incident.status}</td>
                    <td>{incident.journeys.map((j) => names.get(j) ?? j).join(', ') || '—'}</td>
                    <td>{time.dateTime(opened)}</td>
                    <td>{end === null ? 'open' : formatDuration(end - opened)}</td>
                    <td className="num">{incident.impact ? formatCount(incident.impact.customersAffected) : '—'}</td>
                    <td className="num">{formatValueAtRisk(incident.impact?.valueAtRiskPerHour)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages">
            <span data-testid="page-label">{pageLabel(filters.skip, data.page.incidents.length, data.page.total)}</span>
            {filters.cursor ? <a href={href.history({ ...filters, cursor: '', skip: 0 })}>First page</a> : null}
            {data.page.next && filters.skip + data.page.incidents.length < data.page.total ? (
              <a href={href.history({ ...filters, cursor: data.page.next, skip: filters.skip + data.page.incidents.length })} rel="next">
                Next page
              </a>
            ) : null}
          </nav>
        </>
      )}
    </section>
  );
}
