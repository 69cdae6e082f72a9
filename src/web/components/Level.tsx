/** A status shown as icon + word + colour, so it reads without colour vision. */
import { LEVELS, type Level } from '../lib/status.js';

export function LevelBadge({ level, label, large = false }: { level: Level; label?: string; large?: boolean }) {
  const style = LEVELS[level];
  return (
    <span className={`badge ${style.className}${large ? ' badge-large' : ''}`}>
      <span aria-hidden="true" className="badge-icon">
        {style.icon}
      </span>
      {label ?? style.label}
    </span>
  );
}

/** A priority badge: P1 … P4, with its own shape so priority never relies on colour. */
export function PriorityBadge({ priority }: { priority: 'P1' | 'P2' | 'P3' | 'P4' }) {
  const icon = priority === 'P1' || priority === 'P2' ? '●' : priority === 'P3' ? '▲' : '○';
  return (
    <span className={`badge prio-${priority.toLowerCase()}`}>
      <span aria-hidden="true" className="badge-icon">
        {icon}
      </span>
      {priority}
    </span>
  );
}
