/**
 * An incident's DORA classification on its page (docs/dora.md ("Where it shows")): the decision and its reason, the
 * reporting clocks once classified, and every criterion with what was found; Vigil prepares, a person decides and submits.
 */
import type { ClockJson, CriterionJson, RegulatoryResponse } from '../lib/api-types.js';
import { useTime } from '../time-context.js';

const STATUS: Record<CriterionJson['status'], { text: string; icon: string; className: string }> = {
  met: { text: 'met', icon: '●', className: 'badge lvl-page' },
  not_met: { text: 'not met', icon: '○', className: 'badge lvl-ok' },
  needs_person: { text: 'needs a person', icon: '?', className: 'badge lvl-ticket' },
};

const REPORT: Record<ClockJson['report'], string> = {
  initial: 'Initial notification',
  intermediate: 'Intermediate report',
  final: 'Final report',
};

const STATE: Record<ClockJson['state'], string> = {
  due: 'due',
  overdue: 'overdue',
  submitted: 'submitted',
  submitted_late: 'submitted late',
};

export function DoraPanel({ dora }: { dora: RegulatoryResponse }) {
  const { decision, classification } = dora;
  const time = useTime();
  return (
    <section className="panel dora" aria-labelledby="dora-title" data-testid="dora" data-major={decision.major ? 'true' : 'false'}>
      <h2 id="dora-title">DORA classification</h2>
      <p data-testid="dora-decision">
        <span className={decision.major ? 'badge lvl-page' : 'badge lvl-ok'}>{decision.major ? 'Major' : 'Not major'}</span>{' '}
        {decision.reason}
      </p>
      {classification ? (
        <>
          <p className="small">
            Classified major at{' '}
            <time dateTime={classification.classifiedAt}>
              {time.dateTime(Date.parse(classification.classifiedAt))} {time.zoneName(Date.parse(classification.classifiedAt))}
            </time>
            {classification.basis === 'recurring' ? ' (recurring incidents, Art. 8(2))' : ''}. Deadlines in {dora.timezone}:
          </p>
          <table className="table dora-clocks">
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Due by</th>
                <th scope="col">State</th>
                <th scope="col">Rule</th>
              </tr>
            </thead>
            <tbody>
              {dora.clocks.map((c) => (
                <tr key={c.report} data-clock={c.report}>
                  <th scope="row">{REPORT[c.report]}</th>
                  <td>
                    <time dateTime={c.dueAt}>{c.dueLocal}</time>
                  </td>
                  <td className={c.state === 'overdue' ? 'lvl-page' : undefined}>{STATE[c.state]}</td>
                  <td>{c.rule}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <table className="table dora-criteria">
        <thead>
          <tr>
            <th scope="col">Article</th>
            <th scope="col">Criterion</th>
            <th scope="col">Status</th>
            <th scope="col">What was found</th>
          </tr>
        </thead>
        <tbody>
          {dora.criteria.map((c) => (
            <tr key={c.key} data-criterion={c.key}>
              <td>{c.article}</td>
              <th scope="row" title={c.threshold}>
                {c.title}
              </th>
              <td>
                <span className={STATUS[c.status].className}>
                  <span className="badge-icon" aria-hidden="true">
                    {STATUS[c.status].icon}
                  </span>
                  {STATUS[c.status].text}
                </span>
              </td>
              <td>{c.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note small">{dora.notice}</p>
    </section>
  );
}
