/** Background work of a node (docs/scale-out.md): one run at a time, one warning while failing, one note on recovery. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Periodic } from './periodic.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Periodic', () => {
  it('warns once when runs start failing, notes once when they work again', async () => {
    vi.useFakeTimers();
    const log = { info: vi.fn(), warn: vi.fn() };
    const outcomes = [true, false, false, false, true, true, false];
    const periodic = new Periodic({
      everyMs: 100,
      log,
      failed: 'reading failed',
      recovered: 'reading again',
      run: async () => {
        if (!outcomes.shift()) throw new Error('store away');
      },
    });
    periodic.start(true);
    await vi.advanceTimersByTimeAsync(650);
    await periodic.stop();
    expect(outcomes).toEqual([]);
    expect(log.warn.mock.calls).toEqual([
      ['reading failed (retrying): Error: store away'],
      ['reading failed (retrying): Error: store away'],
    ]);
    expect(log.info.mock.calls).toEqual([['reading again']]);
  });

  it('never starts a run while one is in progress, and stop waits for it', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let finish!: () => void;
    const periodic = new Periodic({
      everyMs: 100,
      log: { info: () => {}, warn: () => {} },
      failed: 'x',
      recovered: 'y',
      run: () => {
        runs++;
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    });
    periodic.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    let stopped = false;
    const stopping = periodic.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
  });
});
