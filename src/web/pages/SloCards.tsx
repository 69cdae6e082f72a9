/** A journey's SLOs as cards: level, attainment against objective, budget left; each opens the SLO page. */
import { LevelBadge } from '../components/Level.js';
import type { SloStatus, SourceSli } from '../lib/api-types.js';
import { sourceHealthy, sourceOf, sourceText } from '../lib/sources.js';
import { formatBurn, formatSli } from '../lib/format.js';
import { href } from '../lib/route.js';
import { budgetText, sloLevel } from '../lib/status.js';

export function SloCards({ journey, slos, sources }: { journey: string; slos: SloStatus[]; sources?: SourceSli[] | null }) {
  if (slos.length === 0) return <p className="muted">No SLO is defined for this journey.</p>;
  return (
    <ul className="slo-cards">
      {slos.map((s) => {
        const source = sourceOf(sources, journey, s.slo);
        return (
          <li key={s.slo}>
            <a className="slo-card" href={href.slo(journey, s.slo)} data-slo={s.slo}>
              <span className="slo-card-head">
                <span className="slo-card-name">{s.displayName}</span>
                <LevelBadge level={sloLevel(s)} />
              </span>
              <span className="slo-card-figures">
                <span>
                  <span className="muted small">attainment</span>
                  <span className="figure" data-field="attainment">
                    {formatSli(s.attainment, s.objective)}
                  </span>
                </span>
                <span>
                  <span className="muted small">objective</span>
                  <span className="figure">{s.objective}%</span>
                </span>
                <span>
                  <span className="muted small">budget left</span>
                  <span className={`figure ${s.state === 'exhausted' ? 'lvl-page' : ''}`} data-field="budget">
                    {budgetText(s)}
                  </span>
                </span>
                <span>
                  <span className="muted small">burn 1 h</span>
                  <span className="figure">{formatBurn(s.burnRates['1h'])}</span>
                </span>
              </span>
              <span className="muted small">
                {s.window} window · {s.budgeting}
              </span>
              {source && (
                <span
                  className={`small ${sourceHealthy(source) ? 'muted' : 'lvl-ticket'}`}
                  data-source-state={source.state}
                  title={source.queries.total}
                >
                  {sourceText(source)}
                </span>
              )}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
