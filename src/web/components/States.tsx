/** Designed loading, empty and error states: the page says what is happening instead of going blank. */
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <p className="state-detail">{children}</p> : null}
    </div>
  );
}

/** An error with the last good data still shown: a thin warning, not a blank page. */
export function ErrorNote({ error, stale }: { error: Error; stale: boolean }) {
  return (
    <div className="state-error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {stale ? 'Showing the last figures received: ' : ''}
      {error.message}
    </div>
  );
}

export function Tile({
  label,
  value,
  detail,
  className = '',
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  className?: string;
}) {
  return (
    <div className={`tile ${className}`}>
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      {detail ? <div className="tile-detail">{detail}</div> : null}
    </div>
  );
}
