/**
 * How Northwind Bank's customers and systems behave, journey by journey: demand, per-step latency,
 * baseline failure, business refusals and drop-out. The names match src/demo/bank.yaml.
 */
import type { DemandKind } from './seasonality.js';

/** Lognormal: half the values below the median; σ sets the tail (σ 0.5 → p99 ≈ 3.2 × median). */
export interface Lognormal {
  medianMs: number;
  sigma: number;
}

export interface StepBehaviour {
  latency: Lognormal;
  /** The step gives up and fails after this long (latency regressions turn into failures past it). */
  timeoutMs: number;
  /** Rare slow path (a retry inside the system, manual screening): probability and latency multiplier. */
  slowPath?: { probability: number; multiplier: number };
  /** Baseline probability that the system fails the customer at this step. */
  failure: number;
  /** Probability of a valid business refusal (wrong password, insufficient funds, failed KYC). */
  rejected: number;
  /** Probability that the customer gives up at this step. */
  abandon: number;
  /** Customer time before this step starts, after the previous one completed. */
  think: Lognormal;
}

export interface JourneyBehaviour {
  /** Mean attempts per minute over an ordinary week, at scale 1. */
  ratePerMinute: number;
  demand: DemandKind;
  steps: Record<string, StepBehaviour>;
  /** Value moved per attempt, in the journey's currency (payments only). */
  amount?: { median: number; sigma: number; max: number; currency: string };
  /** Probability that a customer whose attempt failed tries again shortly after. */
  retryProbability: number;
  /** The `channel` attribute of events, with weights. */
  channels: readonly (readonly [string, number])[];
}

/** Customers in the bank; customer ids are drawn from c-1 … c-N with a skew towards regulars. */
export const CUSTOMER_POOL = 50_000;

const APP_CHANNELS = [
  ['mobile', 0.72],
  ['web', 0.28],
] as const;

const QUICK_THINK: Lognormal = { medianMs: 2_500, sigma: 0.5 };

/** The token check every logged-in journey starts with (auth-gateway, session-store). */
const LOGIN_STEP: StepBehaviour = {
  latency: { medianMs: 260, sigma: 0.4 },
  timeoutMs: 10_000,
  failure: 0.00001,
  rejected: 0,
  abandon: 0.003,
  think: { medianMs: 0, sigma: 0 },
};

/** Behaviour for a step the demo knows nothing about (a journey added to bank.yaml later). */
export const DEFAULT_STEP: StepBehaviour = {
  latency: { medianMs: 300, sigma: 0.5 },
  timeoutMs: 30_000,
  failure: 0.0002,
  rejected: 0,
  abandon: 0.005,
  think: QUICK_THINK,
};

/** Behaviour for a journey the demo knows nothing about. */
export const DEFAULT_JOURNEY: JourneyBehaviour = {
  ratePerMinute: 0.5,
  demand: 'app',
  steps: {},
  retryProbability: 0.4,
  channels: APP_CHANNELS,
};

export const BANK_BEHAVIOUR: Record<string, JourneyBehaviour> = {
  login: {
    ratePerMinute: 2.4,
    demand: 'app',
    retryProbability: 0.6,
    channels: APP_CHANNELS,
    steps: {
      credentials: {
        latency: { medianMs: 280, sigma: 0.45 },
        timeoutMs: 10_000,
        failure: 0.00006,
        rejected: 0.012, // wrong password or PIN
        abandon: 0.002,
        think: { medianMs: 0, sigma: 0 },
      },
      mfa: {
        latency: { medianMs: 450, sigma: 0.5 },
        timeoutMs: 15_000,
        failure: 0.00005,
        rejected: 0.004, // wrong one-time code
        abandon: 0.012,
        think: { medianMs: 6_000, sigma: 0.5 }, // reading the code off the phone
      },
      session: {
        latency: { medianMs: 90, sigma: 0.4 },
        timeoutMs: 5_000,
        failure: 0.00002,
        rejected: 0,
        abandon: 0,
        think: { medianMs: 200, sigma: 0.3 },
      },
    },
  },
  'view-balance': {
    ratePerMinute: 2.4,
    demand: 'app',
    retryProbability: 0.6,
    channels: APP_CHANNELS,
    steps: {
      login: LOGIN_STEP,
      accounts: {
        latency: { medianMs: 180, sigma: 0.5 },
        timeoutMs: 10_000,
        failure: 0.0001,
        rejected: 0,
        abandon: 0.004,
        think: { medianMs: 800, sigma: 0.4 },
      },
      balance: {
        latency: { medianMs: 220, sigma: 0.6 },
        timeoutMs: 10_000,
        failure: 0.00015,
        rejected: 0,
        abandon: 0.003,
        think: QUICK_THINK,
      },
    },
  },
  'card-payment': {
    ratePerMinute: 1.6,
    demand: 'card',
    retryProbability: 0.7, // the customer taps the card again
    channels: [
      ['contactless', 0.55],
      ['chip-and-pin', 0.15],
      ['ecommerce', 0.3],
    ],
    amount: { median: 18, sigma: 1.0, max: 5_000, currency: 'GBP' },
    steps: {
      screen: {
        latency: { medianMs: 60, sigma: 0.4 },
        timeoutMs: 3_000,
        failure: 0.000005,
        rejected: 0.004, // declined as suspected fraud
        abandon: 0,
        think: { medianMs: 0, sigma: 0 },
      },
      authorise: {
        latency: { medianMs: 380, sigma: 0.45 },
        timeoutMs: 10_000,
        failure: 0.00002,
        rejected: 0.02, // insufficient funds
        abandon: 0,
        think: { medianMs: 30, sigma: 0.3 },
      },
    },
  },
  'sepa-instant': {
    ratePerMinute: 1.5,
    demand: 'payments',
    retryProbability: 0.5,
    channels: APP_CHANNELS,
    amount: { median: 250, sigma: 1.2, max: 100_000, currency: 'EUR' },
    steps: {
      login: LOGIN_STEP,
      initiate: {
        latency: { medianMs: 250, sigma: 0.4 },
        timeoutMs: 10_000,
        failure: 0.000005,
        rejected: 0.015, // insufficient funds or over the daily limit
        abandon: 0.03, // changed their mind on the review screen
        think: { medianMs: 9_000, sigma: 0.5 }, // typing the payee and amount
      },
      confirm: {
        latency: { medianMs: 1_300, sigma: 0.45 },
        slowPath: { probability: 0.003, multiplier: 3 }, // held for sanctions screening
        timeoutMs: 25_000,
        failure: 0.00001,
        rejected: 0.003, // the payee's bank refused (account closed)
        abandon: 0,
        think: { medianMs: 3_000, sigma: 0.5 },
      },
    },
  },
  'open-account': {
    ratePerMinute: 0.2,
    demand: 'onboarding',
    retryProbability: 0.3,
    channels: APP_CHANNELS,
    steps: {
      details: {
        latency: { medianMs: 300, sigma: 0.4 },
        timeoutMs: 10_000,
        failure: 0.00002,
        rejected: 0,
        abandon: 0.06,
        think: { medianMs: 0, sigma: 0 },
      },
      'identity-check': {
        latency: { medianMs: 2_500, sigma: 0.6 },
        timeoutMs: 30_000,
        failure: 0.00005,
        rejected: 0.04, // identity could not be verified
        abandon: 0.04,
        think: { medianMs: 15_000, sigma: 0.4 },
      },
      documents: {
        latency: { medianMs: 1_500, sigma: 0.7 },
        timeoutMs: 30_000,
        failure: 0.00005,
        rejected: 0,
        abandon: 0.05,
        think: { medianMs: 20_000, sigma: 0.4 }, // photographing a passport
      },
      'create-account': {
        latency: { medianMs: 900, sigma: 0.5 },
        timeoutMs: 20_000,
        failure: 0.00002,
        rejected: 0,
        abandon: 0,
        think: { medianMs: 4_000, sigma: 0.4 },
      },
    },
  },
  statements: {
    ratePerMinute: 0.35,
    demand: 'app',
    retryProbability: 0.5,
    channels: APP_CHANNELS,
    steps: {
      login: LOGIN_STEP,
      list: {
        latency: { medianMs: 350, sigma: 0.5 },
        timeoutMs: 10_000,
        failure: 0.0002,
        rejected: 0,
        abandon: 0.02,
        think: { medianMs: 1_500, sigma: 0.4 },
      },
      download: {
        latency: { medianMs: 1_200, sigma: 0.5 },
        timeoutMs: 30_000,
        failure: 0.0006,
        rejected: 0,
        abandon: 0.01,
        think: { medianMs: 4_000, sigma: 0.5 },
      },
    },
  },
};
