/**
 * The demo bank's deployments over the past 28 days, as its CD pipelines would post them to POST /api/v1/deployments
 * (docs/release.md ("Deployments")): a few a week per team, on weekday working hours, nearly all harmless; and the
 * releases behind the scripted incidents of src/demo/scenario.ts, each followed by its fix. Pure and deterministic.
 */
import type { DeploymentRequest } from '../api/release.js';
import type { VigilConfig } from '../model/config.js';
import { mixSeed, mulberry32, poisson } from './random.js';
import { doraStory } from './dora-story.js';
import { backfillIncidents, cardDriftDays, sepaReleaseDay } from './scenario.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Routine deployments a team makes in a week, on average. */
const PER_TEAM_PER_WEEK = 3;
const CI = 'https://ci.demo-bank.example/run';

/** The people who press the button, by team (services' `owner` in src/demo/bank.yaml). */
const AUTHORS: Record<string, readonly string[]> = {
  'identity-platform': ['priya.shah', 'tom.okafor'],
  accounts: ['lena.fischer', 'marc.dubois'],
  'core-banking': ['hannah.price', 'ravi.menon'],
  cards: ['sofia.romano', 'james.hughes'],
  'financial-crime': ['aisha.bello'],
  payments: ['nina.kowalski', 'daniel.reyes', 'oliver.grant'],
  onboarding: ['emma.clarke'],
  platform: ['yusuf.demir', 'chloe.martin'],
};

const CHANGES = [
  'Dependency updates',
  'Logging: fewer fields at info level',
  'Retry budget tuned for downstream calls',
  'Feature flag cleanup',
  'New metrics for the dashboard',
  'Connection pool sizing from the load test',
  'Copy changes requested by product',
  'Security patch of the base image',
  'Refactor: request validation in one place',
  'Config: timeouts read from the environment',
];

/** The release behind a scripted incident, then its fix: (days ago, UTC hour, minute) each. */
interface StoryRelease {
  key: string;
  service: string;
  bad: { version: string; daysAgo: number; hour: number; minute: number; description: string; author: string };
  fix: { version: string; daysAgo: number; hour: number; minute: number; description: string; author: string };
}

const STORY_TEMPLATES: readonly StoryRelease[] = [
  {
    key: 'sepa-idempotency',
    service: 'payments-api',
    bad: {
      version: '7.3.0',
      daysAgo: 0,
      hour: 10,
      minute: 4,
      description: 'Idempotency keys moved to the new cache',
      author: 'daniel.reyes',
    },
    fix: {
      version: '7.3.1',
      daysAgo: 0,
      hour: 12,
      minute: 15,
      description: 'Rollback of the idempotency-key cache',
      author: 'nina.kowalski',
    },
  },
  {
    key: 'card-decline-codes',
    service: 'card-issuer-proxy',
    bad: {
      version: '3.8.0',
      daysAgo: 0, // set from cardDriftDays
      hour: 6,
      minute: 40,
      description: 'Issuer response codes from the new scheme table',
      author: 'james.hughes',
    },
    fix: {
      version: '3.8.1',
      daysAgo: 0, // set from cardDriftDays
      hour: 22,
      minute: 5,
      description: 'Response code 79 is not a decline',
      author: 'sofia.romano',
    },
  },
  {
    key: 'sepa-gateway-4.2',
    service: 'sepa-gateway',
    bad: { version: '4.2.0', daysAgo: 1, hour: 9, minute: 55, description: 'Release 4.2: new clearing client', author: 'oliver.grant' },
    fix: { version: '4.2.1', daysAgo: 1, hour: 13, minute: 2, description: 'Rollback to the 4.1 clearing client', author: 'oliver.grant' },
  },
];

/** Days of history that hold deployments: the demo's 28. */
const DAYS = 28;

/**
 * Every deployment of the 28 days before `nowMs` (UTC days before the current one), oldest first, as POST
 * /api/v1/deployments bodies. Ids are `dep-` and the start minute in base 36 and the service, so a reused database keeps
 * one of each. No routine deployment touches a story release's journeys between the release and its fix, so each keeps
 * its own attribution (docs/release.md ("Deployments")), nor the journeys of another scripted incident in the day before it.
 * @example await release.record(demoDeployments(anchor, 7, config), Date.now())
 */
export function demoDeployments(nowMs: number, seed: number, config: VigilConfig): DeploymentRequest[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  // The SEPA release and its rollback come on sepaReleaseDay; the card release the morning the drift starts, its fix the
  // evening it ends (when the drift has days at all).
  const drift = cardDriftDays(nowMs);
  const sepaDay = sepaReleaseDay(nowMs);
  const STORIES = STORY_TEMPLATES.flatMap((s) => {
    if (s.key === 'sepa-idempotency') return [{ ...s, bad: { ...s.bad, daysAgo: sepaDay }, fix: { ...s.fix, daysAgo: sepaDay } }];
    if (s.key !== 'card-decline-codes') return [s];
    if (drift.length === 0) return [];
    return [{ ...s, bad: { ...s.bad, daysAgo: drift[0]! }, fix: { ...s.fix, daysAgo: drift[drift.length - 1]! } }];
  });
  const at = (daysAgo: number, hour: number, minute: number): number => today - daysAgo * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS;
  const journeysOf = (service: string) =>
    config.journeys.filter((j) => j.steps.some((s) => s.services.includes(service))).map((j) => j.name);
  const teams = [...new Set(config.services.map((s) => s.owner).filter((o): o is string => o !== undefined && o in AUTHORS))].sort();
  // No routine deployment of a journey between its story release and the fix, nor in the day before a scripted incident of
  // the journey: the incidents without a release behind them are then charged to no deployment.
  const quiet = [
    ...STORIES.map((s) => ({
      from: at(s.bad.daysAgo, s.bad.hour, s.bad.minute) - HOUR_MS,
      to: at(s.fix.daysAgo, s.fix.hour, s.fix.minute) + HOUR_MS,
      journeys: journeysOf(s.service),
    })),
    ...[...backfillIncidents(nowMs), doraStory(nowMs).sepa, doraStory(nowMs).statements].map((i) => ({
      from: i.startMs - DAY_MS,
      to: i.endMs,
      journeys: i.journeys,
    })),
  ];

  const planned: Array<{ at: number; service: string; description: string; author: string; story?: string }> = [];
  for (const story of STORIES) {
    for (const [release, what] of [
      [story.bad, 'release'],
      [story.fix, 'fix'],
    ] as const) {
      planned.push({
        at: at(release.daysAgo, release.hour, release.minute),
        service: story.service,
        description: release.description,
        author: release.author,
        story: `${release.version}|${what}`,
      });
    }
  }
  for (let daysAgo = DAYS; daysAgo >= 1; daysAgo -= 1) {
    const weekday = new Date(today - daysAgo * DAY_MS).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    teams.forEach((team, t) => {
      const rng = mulberry32(mixSeed(seed, Math.floor((today - daysAgo * DAY_MS) / DAY_MS), t, 0xde9));
      const services = config.services.filter((s) => s.owner === team);
      const count = poisson(rng, PER_TEAM_PER_WEEK / 5);
      for (let i = 0; i < count; i += 1) {
        const service = services[Math.floor(rng() * services.length)]!.name;
        const startedAt = at(daysAgo, 9 + Math.floor(rng() * 8), Math.floor(rng() * 60));
        const authors = AUTHORS[team]!;
        const author = authors[Math.floor(rng() * authors.length)]!;
        const description = CHANGES[Math.floor(rng() * CHANGES.length)]!;
        const journeys = journeysOf(service);
        if (quiet.some((q) => startedAt >= q.from && startedAt < q.to && q.journeys.some((j) => journeys.includes(j)))) continue;
        planned.push({ at: startedAt, service, description, author });
      }
    });
  }
  planned.sort((a, b) => a.at - b.at || a.service.localeCompare(b.service));

  // Versions: each service counts its routine releases as patches of its current minor; a story release sets the version.
  const current = new Map<string, [number, number, number]>();
  const base = (service: string): [number, number, number] => {
    const h = mixSeed(seed, ...[...service].map((c) => c.charCodeAt(0)));
    return [1 + (h % 6), h % 10, 0];
  };
  for (const story of STORIES) {
    const [major, minor] = story.bad.version.split('.').map(Number) as [number, number];
    current.set(story.service, [major, minor - 1, 0]);
  }
  return planned.map((p, run): DeploymentRequest => {
    let version: string;
    if (p.story !== undefined) {
      version = p.story.split('|')[0]!;
      const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
      current.set(p.service, [major, minor, patch]);
    } else {
      const v = current.get(p.service) ?? base(p.service);
      v[2] += 1;
      current.set(p.service, v);
      version = v.join('.');
    }
    const id = `dep-${(p.at / MINUTE_MS).toString(36)}-${p.service}`;
    const finishedAt = p.at + (3 + (run % 5)) * MINUTE_MS;
    return {
      id,
      service: p.service,
      version,
      environment: 'production',
      startedAt: new Date(p.at).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      description: p.description,
      author: p.author,
      url: `${CI}/${14_000 + run}`,
    };
  });
}
