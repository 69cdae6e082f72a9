/** The "last N days" switch of the Competition and Where-to-invest pages, and the poll of the period it picks. */
import { useState } from 'react';
import { type Polled, usePoll } from '../hooks/use-poll.js';

const DAY_MS = 86_400_000;

/**
 * Polls `load` every minute over the last `days` days, `days` starting at `initialDays`; a new period polls afresh.
 * @example const { days, setDays, polled } = useLastDays(7, api.benchmark, 'benchmark');
 */
export function useLastDays<T>(
  initialDays: number,
  load: (fromMs: number, toMs: number) => Promise<T>,
  key: string,
): { days: number; setDays: (days: number) => void; polled: Polled<T> } {
  const [days, setDays] = useState<number>(initialDays);
  const polled = usePoll(
    () => {
      const now = Date.now();
      return load(now - days * DAY_MS, now);
    },
    `${key}-${days}`,
    60_000,
  );
  return { days, setDays, polled };
}

/** A "Period" select of the given lengths in days ("last day", "last 7 days"). */
export function PeriodSelect({
  days,
  periods,
  onChange,
  testId,
}: {
  days: number;
  periods: readonly number[];
  onChange: (days: number) => void;
  testId: string;
}) {
  return (
    <label className="muted">
      Period{' '}
      <select value={days} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {periods.map((d) => (
          <option key={d} value={d}>
            last {d === 1 ? 'day' : `${d} days`}
          </option>
        ))}
      </select>
    </label>
  );
}
