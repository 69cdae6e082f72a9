/**
 * The nodes serving this store (docs/scale-out.md ("The nodes")): a count in the top bar that opens a list of them,
 * and a warning under the top bar while live nodes run different versions or configurations. Nothing on a single server.
 */
import { useEffect, useRef, useState } from 'react';
import type { ClusterView } from '../lib/cluster.js';
import { useTime } from '../time-context.js';

/** The columns of the list of nodes. */
const COLUMNS = ['Node', 'Role', 'State', 'Version', 'Config', 'Seen'] as const;

/** "3 nodes" in the top bar; a click (or Enter) opens the list, Escape or a click elsewhere closes it. */
export function ClusterIndicator({ view }: { view: ClusterView }) {
  const time = useTime();
  const details = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const close = (focusSummary: boolean) => {
      const element = details.current;
      if (!element) return;
      element.open = false;
      if (focusSummary) element.querySelector('summary')?.focus();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close(true);
    };
    const onPointer = (event: PointerEvent) => {
      if (details.current && !details.current.contains(event.target as Node)) close(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const differ = view.differences.length > 0;
  return (
    <details
      ref={details}
      className={`cluster-nodes${differ ? ' cluster-differ' : ''}`}
      data-testid="cluster-nodes"
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="cluster-summary" title={view.title} aria-label={`${view.label}${differ ? ', which differ' : ''}: show the nodes`}>
        {differ ? <span aria-hidden="true">⚠ </span> : null}
        <span data-field="label">{view.label}</span>
      </summary>
      <div className="cluster-popover">
        <p className="small" data-field="title">
          {view.title}
        </p>
        <table className="small">
          <caption className="visually-hidden">The nodes serving this store</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col" className="cluster-cell">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.nodes.map((n) => (
              <tr key={n.node} data-node={n.node} className={n.live ? undefined : 'muted'}>
                <th scope="row" className="cluster-cell" title={n.url ?? undefined}>
                  {n.node}
                  {n.self ? <span className="muted"> (this one)</span> : null}
                </th>
                <td className="cluster-cell" data-field="role">
                  {n.role}
                </td>
                <td className="cluster-cell" data-field="state">
                  {n.live ? '● live' : '○ gone'}
                </td>
                <td className="cluster-cell" data-field="version">
                  {n.version}
                </td>
                <td className="cluster-cell" data-field="config">
                  <code>{n.config}</code>
                </td>
                <td className="cluster-cell" data-field="seen" title={n.seenAt}>
                  {time.dateTime(Date.parse(n.seenAt))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The warning shown on every page while live nodes differ: their figures may differ too. */
export function ClusterBanner({ differences }: { differences: string[] }) {
  return (
    <div className="cluster-banner" role="alert" data-testid="cluster-banner">
      <span className="cluster-banner-icon" aria-hidden="true">
        ⚠
      </span>
      <div>
        <p className="cluster-banner-title">The Vigil nodes serving this store differ, so their figures may differ too.</p>
        <ul>
          {differences.map((d) => (
            <li key={d} data-field="difference">
              {d}
            </li>
          ))}
        </ul>
        <p className="small">
          Deploy one vigil.yaml and one Vigil version to every node, then reload them all: POST /api/v1/admin/reload?nodes=all (see
          docs/scale-out.md, “Reloading every node”).
        </p>
      </div>
    </div>
  );
}
