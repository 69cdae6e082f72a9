/** Terminal formatting: percentages, burn rates and aligned, coloured tables. */
import pc from 'picocolors';
import type { SloState } from '../api/slo.js';
import type { SourceStateJson } from '../api/sources.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** 0.99911 → "99.911%"; null → "—". */
export function percent(value: number | null, digits = 3): string {
  if (value === null) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

export function burn(value: number | null): string {
  if (value === null) return '—';
  return value >= 100 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

/** Budget remaining, coloured: red when spent, yellow under a quarter, green otherwise. */
export function budget(remaining: number): string {
  const text = percent(remaining, 1);
  if (remaining < 0) return pc.red(text);
  if (remaining < 0.25) return pc.yellow(text);
  return pc.green(text);
}

/** Alert state in words and colour (never colour alone). */
export function alertState(page: boolean, ticket: boolean): string {
  if (page) return pc.bold(pc.red('● PAGE'));
  if (ticket) return pc.yellow('▲ TICKET');
  return pc.green('✓ ok');
}

/**
 * An SLO budget state as the status table shows it: icon and word, never colour alone.
 * @example stateText('exhausted') // '■ EXHAUSTED' in bold red
 */
export function stateText(state: SloState): string {
  switch (state) {
    case 'exhausted':
      return pc.bold(pc.red('■ EXHAUSTED'));
    case 'page':
      return pc.bold(pc.red('● PAGE'));
    case 'ticket':
      return pc.yellow('▲ TICKET');
    case 'at_risk':
      return pc.yellow('◆ at risk');
    case 'insufficient_data':
      return pc.dim('◌ not enough data');
    case 'ok':
      return pc.green('✓ ok');
  }
}

/**
 * Text cut to `max` characters, whitespace collapsed, `…` marking the cut.
 * @example shorten('connect ECONNREFUSED 127.0.0.1:9090', 20) // 'connect ECONNREFUSE…'
 */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * How an SLI read from Prometheus is being read (docs/prometheus.md ("States")), as `vigil status` shows it: icon and
 * words, never colour alone; only `following` is green. `detail`: a backfill's percent, or why Prometheus failed.
 * @example sourceStateText('prometheus_unreachable', 'connect ECONNREFUSED') // '✗ unreachable: connect ECONNREFUSED' in bold red
 */
export function sourceStateText(state: SourceStateJson, detail: string | null = null): string {
  const more = detail ? `: ${detail}` : '';
  switch (state) {
    case 'following':
      return pc.green('✓ following');
    case 'backfilling':
      return pc.cyan(`↻ backfilling${detail ? ` ${detail}` : ''}`);
    case 'waiting':
      return pc.dim('… waiting');
    case 'lagging':
      return pc.yellow('▲ lagging');
    case 'no_data':
      return pc.red('◌ no data');
    case 'prometheus_unreachable':
      return pc.bold(pc.red(`✗ unreachable${more}`));
    case 'prometheus_error':
      return pc.bold(pc.red(`✗ query error${more}`));
  }
}

/** Render rows as an aligned table; `right` lists the columns to right-align. */
export function table(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - visibleLength(cell));
        return right.has(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [pc.bold(line(header)), pc.dim(widths.map((w) => '─'.repeat(w)).join('  ')), ...rows.map(line)].join('\n');
}
