/** Polling a loader: the first answer, then a refresh every few seconds that keeps the last good data on screen. */
import { useCallback, useEffect, useRef, useState } from 'react';

export const REFRESH_MS = 15_000;

export interface Polled<T> {
  data: T | null;
  /** The last refresh's error, shown beside stale data rather than instead of it. */
  error: Error | null;
  loading: boolean;
  /** When data was last received (epoch ms). */
  updatedAt: number | null;
  /** Refresh now (after an action), keeping the schedule. */
  reload: () => void;
}

/**
 * Load with `load()` now and every `intervalMs`; a change of `key` starts over. Old answers arriving
 * after a newer request never overwrite it, and a hidden tab is refreshed when it becomes visible.
 */
export function usePoll<T>(load: () => Promise<T>, key: string, intervalMs = REFRESH_MS): Polled<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: Error | null; updatedAt: number | null }>({
    key,
    data: null,
    error: null,
    updatedAt: null,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is how reload() asks for a fresh run
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      const mine = ++generation.current;
      loadRef
        .current()
        .then(
          (data) => {
            if (cancelled || mine !== generation.current) return;
            setState({ key, data, error: null, updatedAt: Date.now() });
          },
          (error: unknown) => {
            if (cancelled || mine !== generation.current) return;
            setState((s) => ({ ...s, key, error: error instanceof Error ? error : new Error(String(error)) }));
          },
        )
        .finally(() => {
          if (!cancelled) timer = setTimeout(run, intervalMs);
        });
    };
    run();
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        clearTimeout(timer);
        run();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, intervalMs, tick]);

  const current = state.key === key;
  return {
    data: current ? state.data : null,
    error: current ? state.error : null,
    loading: !current || (state.data === null && state.error === null),
    updatedAt: current ? state.updatedAt : null,
    reload,
  };
}
