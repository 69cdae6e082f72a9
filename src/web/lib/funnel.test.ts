import { describe, expect, it } from 'vitest';
import type { OutcomeCounts, StepDetail } from './api-types.js';
import { funnel, worstStep } from './funnel.js';

const counts = (success: number, failure: number, rejected: number, abandoned: number): OutcomeCounts => ({
  success,
  failure,
  rejected,
  abandoned,
  successRate: success + failure > 0 ? success / (success + failure) : null,
});
const step = (name: string, hour: OutcomeCounts, critical = false): StepDetail => ({
  name,
  displayName: name,
  services: [],
  critical,
  slos: [],
  outcomes: { '1h': hour, '1d': counts(0, 0, 0, 0) },
});

describe('funnel', () => {
  // 1,000 log in; 60 fail there, 20 give up; 900 initiate, of which 30 are refused (insufficient funds) and 10 fail;
  // 850 confirm (10 of the 860 successful initiations never confirmed), 150 of them fail.
  const steps = [
    step('login', counts(920, 60, 0, 20)),
    step('initiate', counts(860, 10, 30, 0)),
    step('confirm', counts(700, 150, 0, 0), true),
  ];
  const stages = funnel(steps, '1h');

  it('counts attempts reaching each step as every outcome recorded there', () => {
    expect(stages.map((s) => s.reached)).toEqual([1000, 900, 850]);
  });
  it('counts the drop between a step and the next', () => {
    expect(stages.map((s) => s.droppedBeforeNext)).toEqual([100, 50, null]);
  });
  it('gives each step its share of the attempts that started', () => {
    expect(stages.map((s) => s.shareOfStart)).toEqual([1, 0.9, 0.85]);
  });
  it('keeps outcome counts, success rates and criticality', () => {
    expect(stages[2]).toMatchObject({ step: 'confirm', critical: true, failure: 150, successRate: 700 / 850 });
    expect(stages[1]).toMatchObject({ rejected: 30, successRate: 860 / 870 });
  });
  it('names the step that fails the most customers', () => {
    expect(worstStep(stages)?.step).toBe('confirm');
    expect(worstStep(funnel([step('a', counts(5, 0, 1, 0))], '1h'))).toBeNull();
  });
  it('never reports a negative drop, and no share without a start', () => {
    const odd = funnel([step('a', counts(0, 0, 0, 0)), step('b', counts(3, 0, 0, 0))], '1h');
    expect(odd[0]).toMatchObject({ reached: 0, droppedBeforeNext: 0, shareOfStart: null });
  });
  it('reads the chosen window', () => {
    expect(funnel(steps, '1d').every((s) => s.reached === 0)).toBe(true);
  });
});
