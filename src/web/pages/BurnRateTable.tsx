/** The four multiwindow burn-rate alert pairs (docs/slo-maths.md ("Alert pairs")): windows, factor, current burn rates, firing state. */
import { LevelBadge } from '../components/Level.js';
import type { AlertPairStatus } from '../lib/api-types.js';
import { formatBurn, formatCount, formatFactor } from '../lib/format.js';

function Burn({ value, factor }: { value: number | null; factor: number }) {
  const over = value !== null && value > factor;
  return (
    <span className={over ? 'figure lvl-page' : 'figure'}>
      {over ? <span aria-hidden="true">▲ </span> : null}
      {formatBurn(value)}
      {over ? <span className="visually-hidden"> (above the factor)</span> : null}
    </span>
  );
}

export function BurnRateTable({ pairs, figure = formatCount }: { pairs: AlertPairStatus[]; figure?: (n: number) => string }) {
  return (
    <table className="burn-table">
      <caption className="visually-hidden">Burn-rate alert pairs: an alert fires when both windows burn faster than the factor</caption>
      <thead>
        <tr>
          <th scope="col">Alert</th>
          <th scope="col">Windows (short / long)</th>
          <th scope="col" className="num">
            Budget share
          </th>
          <th scope="col" className="num">
            Factor
          </th>
          <th scope="col" className="num">
            Burn, short
          </th>
          <th scope="col" className="num">
            Burn, long
          </th>
          <th scope="col" className="num">
            Events in long window
          </th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((p) => (
          <tr key={`${p.short}-${p.long}`} data-pair={`${p.short}/${p.long}`}>
            <th scope="row">
              {p.severity === 'page' ? 'Page' : 'Ticket'} ({p.short === '5m' || p.short === '2h' ? 'fast' : 'slow'})
            </th>
            <td>
              {p.short} / {p.long}
            </td>
            <td className="num">{p.budgetPercent}%</td>
            <td className="num" data-field="factor">
              {formatFactor(p.factor)}
            </td>
            <td className="num">
              <Burn value={p.burnShort} factor={p.factor} />
            </td>
            <td className="num">
              <Burn value={p.burnLong} factor={p.factor} />
            </td>
            <td className="num">{figure(p.longWindowEvents)}</td>
            <td data-field="firing">
              {p.firing ? <LevelBadge level={p.severity} label="Firing" /> : <LevelBadge level="ok" label="Quiet" />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
