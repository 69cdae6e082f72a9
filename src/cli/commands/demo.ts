/**
 * `vigil demo`: the demo bank. Backfills 28 days of realistic traffic (card payments from the first of the month before,
 * for the retention story) and four weeks of customer complaints into an embedded SQLite file, serves it, then streams live
 * traffic with an incident every few minutes so alerts fire and resolve.
 */
import { existsSync, rmSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import pc from 'picocolors';
import { VigilError } from '../../errors/catalogue.js';
import type { JourneyEvent } from '../../model/event.js';
import type { IncidentManager } from '../../app/incident-manager.js';
import type { VigilRuntime } from '../../app/runtime.js';
import { ReleaseViews } from '../../app/read-models/release-views.js';
import { importantServices, journeyMinuteStates, ToleranceWatch } from '../../app/tolerance-watch.js';
import { LOOKBACK_MINUTES } from '../../incidents/impact-tolerance.js';
import { regulationOf } from '../../model/regulation.js';
import { AlertFeed } from '../../demo/alert-feed.js';
import { BANK_CONFIG_PATH } from '../../demo/bank.js';
import { demoDeployments } from '../../demo/deployments.js';
import { doraStory } from '../../demo/dora-story.js';
import type { Incident } from '../../model/incident.js';
import { retentionStory } from '../../demo/retention-story.js';
import { periodInWords } from '../../value/retention.js';
import { demoIncidents, FULL_HISTORY_DAYS } from '../../demo/incidents.js';
import type { ScriptedIncident } from '../../demo/scenario.js';
import { demoSignals } from '../../demo/signals.js';
import { generateTraffic } from '../../demo/traffic.js';
import { SignalIngestor } from '../../app/ingest-signals.js';
import { startCompetitors } from '../../demo/competitors.js';
import { createServer } from 'node:net';
import { closeOnSignals, startServer } from '../serve.js';
import { action, loadConfigOrThrow } from '../shared.js';
import { parsePort } from './serve.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const TICK_MS = 2_000;
const BACKFILL_BATCH = 5_000;
const DEPLOYMENT_BATCH = 500;
const SIGNAL_BATCH = 1_000;
/** Complaints backfilled: four weeks and an hour, all a spike's baseline reads (docs/signals.md ("Spikes")). */
const SIGNAL_HISTORY_MS = 28 * DAY_MS + 60 * MINUTE_MS;

interface DemoOptions {
  database: string;
  host: string;
  port: number;
  days: number;
  seed: number;
  scale: number;
  fresh?: boolean;
  live: boolean;
  insecure?: boolean;
}

const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Simulated minutes between alerting rounds while backfilling (live, the server ticks every 15 s). */
const BACKFILL_TICK_MINUTES = 5;

/** The impact-tolerance watch the history's alerting rounds run at their simulated times (the server's starts once listening). */
export function historyToleranceWatch(runtime: VigilRuntime, manager: IncidentManager): ToleranceWatch {
  return new ToleranceWatch({
    config: () => runtime.config,
    registry: () => runtime.registry,
    alerting: runtime.store.alerting,
    disruptions: runtime.store.disruptions,
    notes: manager,
    log: { info: () => {}, warn: (m: string) => process.stderr.write(`${pc.yellow('warn')} ${m}\n`) },
  });
}

/**
 * Store the history in large appends, and replay its technical alerts and alerting rounds at their
 * simulated times, so that the history holds the incidents an SRE team would have seen — classified under DORA, with
 * their disruptions clocked against impact tolerances (docs/dora.md ("In the demo")). `vigil demo` runs it; so does the
 * demo's regulation story test (src/demo/dora-story.test.ts).
 */
export async function backfill(
  runtime: VigilRuntime,
  manager: IncidentManager,
  feed: AlertFeed,
  range: { fromMs: number; toMs: number },
  opts: Pick<DemoOptions, 'seed' | 'scale'>,
  incidents: ScriptedIncident[],
  progress: (ms: number, events: number) => void,
  /** Only these journeys, with no alerting replayed (the card payments' history before the 28 days). */
  only?: readonly string[],
): Promise<{ events: number; alerts: number }> {
  const watch = historyToleranceWatch(runtime, manager);
  const services = importantServices(runtime.config);
  const downtimeBelow = regulationOf(runtime.config).downtimeBelow;
  /** The latest minute an important business service was down (its whole-journey success below the downtime line). */
  let lastDownMs = Number.NEGATIVE_INFINITY;
  let pending: JourneyEvent[] = [];
  let stored = 0;
  let alerts = 0;
  let minuteMs = range.fromMs;
  let lastTick = range.fromMs;
  const flush = async () => {
    if (pending.length > 0) {
      await runtime.append.append(pending, Date.now());
      stored += pending.length;
      pending = [];
    }
    if (only) {
      lastTick = minuteMs;
      progress(minuteMs, stored);
      return;
    }
    const due = feed.due(minuteMs);
    if (due.length > 0) {
      await manager.receiveAlerts(due, minuteMs);
      alerts += due.length;
    }
    await manager.tick(minuteMs);
    // Live, the watch runs after each tick (docs/impact-tolerances.md ("How it runs")); here at the tick's simulated time,
    // and only while a disruption can be found or end: within a day (its look-back) and an hour of a down minute. Without
    // late events nothing else can change, and a scan with nothing to do costs more than the tick before it.
    const fromMinute = Math.floor(lastTick / MINUTE_MS);
    const toMinute = Math.floor(minuteMs / MINUTE_MS) + 1;
    for (const { journey } of services) {
      const state = journeyMinuteStates(runtime.registry, journey.name, fromMinute, toMinute, downtimeBelow);
      for (let m = fromMinute; m < toMinute; m++) if (state(m) === 'down') lastDownMs = Math.max(lastDownMs, m * MINUTE_MS);
    }
    if (minuteMs - lastDownMs <= (LOOKBACK_MINUTES + 60) * MINUTE_MS) await watch.scan(minuteMs);
    lastTick = minuteMs;
    progress(minuteMs, stored);
  };
  for (const minute of generateTraffic({
    config: runtime.config,
    fromMs: range.fromMs,
    toMs: range.toMs,
    seed: opts.seed,
    incidents,
    scale: opts.scale,
    ...(only ? { journeys: only } : {}),
  })) {
    for (const e of minute) pending.push(e);
    minuteMs += MINUTE_MS;
    // Without alerting to replay, only the batch size decides (a few card payments a minute make small batches otherwise).
    if (pending.length >= BACKFILL_BATCH || (!only && minuteMs - lastTick >= BACKFILL_TICK_MINUTES * MINUTE_MS)) await flush();
  }
  await flush();
  return { events: stored, alerts };
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('run the demo bank: 28 days of history, live traffic and incidents, served on a local port')
    .option('-d, --database <file>', 'SQLite file for the demo (reused on the next run)', 'vigil-demo.db')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on', parsePort, 8080)
    .option('--days <n>', 'days of history to backfill', (v) => Math.max(0, Math.min(35, Number(v))), 28)
    .option('--seed <n>', 'seed of the simulation', (v) => Number(v), 7)
    .option('--scale <x>', 'traffic volume multiplier', (v) => Number(v), 1)
    .option('--fresh', 'delete the demo database first')
    .option('--no-live', 'backfill and serve, without live traffic')
    .option('--insecure', 'serve a non-loopback address even though no access token exists (docs/access.md)')
    .action(
      action(async (opts: DemoOptions) => {
        if (opts.fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(opts.database + suffix, { force: true });
        const reused = existsSync(opts.database);
        // Two simulated competitors and a simulated status page on a loopback port (docs/benchmark.md ("In the demo")),
        // probed beside our own login: this very server's /healthz.
        const competitors = await startCompetitors();
        const port = opts.port === 0 ? await freePort(opts.host) : opts.port;
        const ownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
        const ownUrl = `http://${ownHost.includes(':') ? `[${ownHost}]` : ownHost}:${port}`;
        const config = { ...(await loadConfigOrThrow(BANK_CONFIG_PATH)), benchmarks: competitors.benchmarks(ownUrl) };
        const startedAt = Date.now();
        let incidents: ScriptedIncident[] = [];
        let feed: AlertFeed | undefined;
        let historyEnd = startedAt;
        /** The incidents of the regulation story the history holds (docs/dora.md ("In the demo")): shown in the guide. */
        const regulation: RegulationStoryIds = {};
        const log = { info: () => {}, warn: (m: string) => process.stderr.write(`${pc.yellow('warn')} ${m}\n`) };
        process.stdout.write(`${pc.bold('Vigil demo')} — Northwind Bank, ${config.journeys.length} customer journeys\n`);

        const server = await startServer({
          config,
          database: opts.database,
          host: opts.host,
          port,
          insecure: opts.insecure === true,
          log,
          beforeListen: async (runtime, manager) => {
            // The history's scripted incidents are anchored on the first run, so catching up a reused
            // database replays no story twice; seed and scale must stay as they were (event ids depend on them).
            const anchor = await demoAnchor(runtime, startedAt, opts);
            // The retention story needs card payments from the first of the month before (docs/retention.md ("In the demo")).
            const story = opts.days >= FULL_HISTORY_DAYS ? retentionStory(anchor, config.defaults.timezone) : undefined;
            incidents = demoIncidents(config, { anchorMs: anchor, startedAtMs: startedAt, days: opts.days, seed: opts.seed });
            // Four weeks of complaints, and the blank statements' first 45 minutes, through the signal ingest (idempotent by id).
            const signals = await postSignals(runtime, opts, incidents, startedAt - SIGNAL_HISTORY_MS, startedAt);
            const newest = await runtime.store.events.newestEventTimestamp();
            const newestMinute = newest !== null ? Math.floor(newest / MINUTE_MS) * MINUTE_MS : 0;
            const fromMs = Math.max(newestMinute, Math.floor((startedAt - opts.days * DAY_MS) / MINUTE_MS) * MINUTE_MS);
            const toMs = Math.floor(startedAt / MINUTE_MS) * MINUTE_MS;
            historyEnd = toMs;
            const stored = { events: 0, alerts: 0 };
            const phase = async (range: { fromMs: number; toMs: number }, title: string, only?: readonly string[]) => {
              process.stdout.write(`${title}\n`);
              const bar = process.stdout.isTTY
                ? new cliProgress.SingleBar(
                    { format: `${pc.cyan('{bar}')} {percentage}% | {day} | {events} events | {eta_formatted} left`, hideCursor: true },
                    cliProgress.Presets.shades_classic,
                  )
                : undefined;
              const span = range.toMs - range.fromMs;
              bar?.start(span, 0, { day: '', events: 0 });
              let lastLine = 0;
              const done = await backfill(
                runtime,
                manager,
                feed!,
                range,
                opts,
                incidents,
                (ms, events) => {
                  bar?.update(ms - range.fromMs, { day: new Date(ms).toISOString().slice(0, 10), events });
                  if (!bar && (ms - range.fromMs) / span - lastLine >= 0.25) {
                    lastLine = (ms - range.fromMs) / span;
                    process.stdout.write(`  ${Math.round(lastLine * 100)}% (${events} events)\n`);
                  }
                },
                only,
              );
              bar?.stop();
              stored.events += done.events;
              stored.alerts += done.alerts;
            };
            // Noise alerts for the last day of history only: enough to see the noise figure, quick to replay.
            feed = new AlertFeed(runtime.config, opts.seed, incidents, { fromMs, noiseFromMs: Math.max(fromMs, toMs - DAY_MS) });
            if (story) {
              // Northwind connected card payments to Vigil first: their history starts on the first of month N, without alerting.
              const card = {
                fromMs: Math.max(story.month.startMs, newestMinute),
                toMs: Math.floor((anchor - opts.days * DAY_MS) / MINUTE_MS) * MINUTE_MS,
              };
              if (card.fromMs < card.toMs)
                await phase(
                  card,
                  `${reused ? 'Catching up' : 'Backfilling'} card payments from the start of ${periodInWords(story.month.label)}: ` +
                    `${((card.toMs - card.fromMs) / DAY_MS).toFixed(1)} days before the rest (the bank connected them to Vigil first)…`,
                  ['card-payment'],
                );
            }
            if (toMs <= fromMs) return;
            await phase(
              { fromMs, toMs },
              `${reused ? 'Catching up' : 'Backfilling'} ${((toMs - fromMs) / DAY_MS).toFixed(1)} days of traffic into ${opts.database}…`,
            );
            // The deployments of the history, through the use case behind POST /api/v1/deployments (idempotent by id).
            const deployments = demoDeployments(anchor, opts.seed, runtime.config).filter(
              (d) => Date.parse(d.startedAt) >= anchor - opts.days * DAY_MS,
            );
            const release = new ReleaseViews(() => runtime.registry, runtime.store.deployments);
            for (let i = 0; i < deployments.length; i += DEPLOYMENT_BATCH)
              await release.record(deployments.slice(i, i + DEPLOYMENT_BATCH), Date.now());
            const dora = doraStory(anchor);
            regulation.sepa = (await storyIncident(runtime, dora.sepa))?.id;
            regulation.statements = (await storyIncident(runtime, dora.statements))?.id;
            const noise = await manager.stats(fromMs, toMs);
            process.stdout.write(
              `${pc.green('✓')} ${stored.events.toLocaleString('en-GB')} events, ${deployments.length} deployments, ` +
                `${signals.toLocaleString('en-GB')} customer complaints and ${stored.alerts.toLocaleString('en-GB')} alert messages ` +
                `replayed in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ` +
                `${noise.alertsReceived} alerts → ${noise.incidentsPaged} paged incidents ` +
                `(${noise.incidentsOpened} recorded, the rest without customer impact)\n`,
            );
          },
        });
        closeOnSignals(async () => {
          await server.close();
          await competitors.close();
        });
        printGuide(server.url, opts, regulation);
        if (opts.live)
          startLiveTraffic(
            server.runtime,
            server.incidents,
            feed ?? new AlertFeed(config, opts.seed, incidents, { fromMs: startedAt, noiseFromMs: startedAt }),
            opts,
            incidents,
            startedAt,
          );
        else if (feed) finishHistoryAlerts(server.incidents, feed, historyEnd);
      }),
    );
}

/** A port free on `host` now, for `--port 0`: the demo's own probe needs its URL before the server listens. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Post the demo's customer signals whose `at` lies in [fromMs, toMs) through the signal ingest use case, the one behind
 * POST /api/v1/signals (docs/signals.md ("In the demo")); ids are fixed, so posting a range again stores nothing twice.
 * Returns how many signals were posted.
 */
async function postSignals(
  runtime: VigilRuntime,
  opts: DemoOptions,
  incidents: readonly ScriptedIncident[],
  fromMs: number,
  toMs: number,
): Promise<number> {
  const config = runtime.config;
  const signals = demoSignals({
    journeys: config.journeys.map((j) => j.name),
    timeZone: config.defaults.timezone,
    seed: opts.seed,
    incidents,
    fromMs,
    toMs,
  });
  const ingestor = new SignalIngestor(() => runtime.config, runtime.store.signals, runtime.clock);
  for (let i = 0; i < signals.length; i += SIGNAL_BATCH) {
    const result = await ingestor.ingest(JSON.stringify(signals.slice(i, i + SIGNAL_BATCH)), 'application/json');
    for (const r of result.rejected)
      process.stderr.write(`${pc.yellow('warn')} demo signal ${i + r.index} refused: ${r.code} ${r.message}\n`);
  }
  return signals.length;
}

const ANCHOR_KEY = 'demo';

async function demoAnchor(runtime: VigilRuntime, now: number, opts: DemoOptions): Promise<number> {
  const saved = await runtime.store.meta.getMeta(ANCHOR_KEY);
  if (saved) {
    const previous = JSON.parse(saved) as { anchor: number; seed: number; scale: number };
    if (previous.seed !== opts.seed || previous.scale !== opts.scale) {
      throw new VigilError(
        'config_invalid',
        `${opts.database} was made with --seed ${previous.seed} --scale ${previous.scale}; run again with those, or with --fresh`,
      );
    }
    return previous.anchor;
  }
  await runtime.store.meta.setMeta(ANCHOR_KEY, JSON.stringify({ anchor: now, seed: opts.seed, scale: opts.scale }));
  return now;
}

interface RegulationStoryIds {
  sepa?: string | undefined;
  statements?: string | undefined;
}

/**
 * The incident the incident manager opened for a scripted incident of the history: the first on its first journey opened
 * while it ran, not merged into another; undefined when there is none (the history does not reach back to it).
 */
export async function storyIncident(
  runtime: VigilRuntime,
  scripted: Pick<ScriptedIncident, 'journeys' | 'startMs' | 'endMs'>,
): Promise<Incident | undefined> {
  const found = await runtime.store.alerting.incidents({
    journey: scripted.journeys[0]!,
    from: scripted.startMs,
    to: scripted.endMs,
    limit: 50,
  });
  return found
    .filter((i) => i.mergedInto === null && i.openedAt >= scripted.startMs && i.openedAt < scripted.endMs)
    .sort((a, b) => a.openedAt - b.openedAt)[0];
}

function printGuide(url: string, opts: DemoOptions, regulation: RegulationStoryIds): void {
  const lines = [
    '',
    `${pc.bold('Vigil listening on')} ${pc.cyan(url)}`,
    '',
    `  Dashboard        ${pc.cyan(`${url}/`)}`,
    `  Status table     ${pc.cyan(`npx vigil status --server ${url}`)}`,
    `  Journeys (API)   ${pc.cyan(`curl ${url}/api/v1/journeys`)}`,
    `  One SLO          ${pc.cyan(`curl ${url}/api/v1/journeys/sepa-instant/slos/within-regulatory-limit/status`)}`,
    `  Firing alerts    ${pc.cyan(`curl ${url}/api/v1/alerts`)}`,
    `  Deployments      ${pc.cyan(`curl '${url}/api/v1/deployments?journey=sepa-instant'`)}`,
    `  Release gate     ${pc.cyan(`npx vigil gate --journey card-payment --server ${url}`)}   (frozen: denied)`,
    `  What it cost     ${pc.cyan(`npx vigil value --journey card-payment --days 7 --server ${url}`)}`,
    `  Competition      ${pc.cyan(`${url}/#/competition`)} ${pc.dim('(two simulated rival banks, probed every 30 s)')}`,
    ...(opts.days >= FULL_HISTORY_DAYS
      ? [
          `  Retention        ${pc.cyan(`${url}/#/journeys/card-payment/retention`)} ${pc.dim('(partner-card declines last month: who stayed)')}`,
          `                   ${pc.cyan(`npx vigil retention --journey card-payment --server ${url}`)}`,
        ]
      : []),
    ...(regulation.sepa
      ? [
          `  DORA major       ${pc.cyan(`${url}/#/incidents/${regulation.sepa}`)} ${pc.dim('(SEPA Instant down 2 h 10 min: criteria, clocks, report)')}`,
          `                   ${pc.cyan(`npx vigil incidents show ${regulation.sepa} --regulatory --server ${url}`)}`,
        ]
      : []),
    ...(regulation.statements
      ? [
          `  Not major        ${pc.cyan(`${url}/#/incidents/${regulation.statements}`)} ${pc.dim('(statements down 12 min: no critical service)')}`,
        ]
      : []),
    ...(regulation.sepa
      ? [`  Tolerances       ${pc.cyan(`npx vigil tolerances --server ${url}`)} ${pc.dim('(SEPA Instant past its 2 h impact tolerance)')}`]
      : []),
    `  Blind spot       ${pc.cyan(`${url}/`)} ${pc.dim('(the paradox banner: complaints about blank statement PDFs, every SLI green)')}`,
    `  Complaints       ${pc.cyan(`curl '${url}/api/v1/signals?journey=statements'`)}`,
    `  Send an event    ${pc.cyan(`curl -XPOST ${url}/api/v1/events -H 'content-type: application/json' -d '{"journey":"login","outcome":"failure"}'`)}`,
    '',
    opts.live
      ? `Live traffic is flowing; an incident starts every few minutes. SLO alerts are printed below as they fire and resolve. Ctrl-C stops.`
      : 'Live traffic is off (--no-live): the alerts the history left firing still resolve on time, and nothing new comes.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Without live traffic (--no-live): deliver the re-sends and resolves of the technical alerts the history left firing as
 * their time comes, and nothing new, so that an alert that began a minute before the end of the history does not fire for ever.
 */
function finishHistoryAlerts(manager: IncidentManager, feed: AlertFeed, cutoffMs: number): void {
  const loop = () => {
    const now = Date.now();
    const { alerts, pending } = feed.inFlight(cutoffMs, now);
    const next = () => {
      if (pending) setTimeout(loop, TICK_MS * 5).unref();
    };
    if (alerts.length === 0) return next();
    manager.receiveAlerts(alerts, now).then(next, (error: unknown) => {
      process.stderr.write(`${pc.red('error')} alerts of the history: ${String(error)}\n`);
      next();
    });
  };
  loop();
}

/** Feed the live stream, releasing each event once its timestamp has passed; print incidents and SLO alert changes. */
function startLiveTraffic(
  runtime: VigilRuntime,
  manager: IncidentManager,
  feed: AlertFeed,
  opts: DemoOptions,
  incidents: ScriptedIncident[],
  signalsFrom: number,
): void {
  const liveFrom = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  let signalsUntil = signalsFrom;
  const stream = generateTraffic({
    config: runtime.config,
    fromMs: liveFrom,
    toMs: Number.POSITIVE_INFINITY,
    seed: opts.seed,
    incidents,
    scale: opts.scale,
  });
  let queue: JourneyEvent[] = [];
  let generatedUntil = liveFrom;
  const alertState = new Map<string, string>();
  const announced = new Set<string>();

  const tick = async () => {
    const now = Date.now();
    while (generatedUntil <= now) {
      const next = stream.next();
      if (next.done) break;
      queue.push(...next.value);
      generatedUntil += MINUTE_MS;
    }
    const due = queue.filter((e) => e.timestamp <= now);
    queue = queue.filter((e) => e.timestamp > now);
    if (due.length > 0) await runtime.append.append(due, now);
    // Customers' complaints as they are made (the blank statements' spike goes on for two hours and a quarter).
    if (now + 1 > signalsUntil) {
      await postSignals(runtime, opts, incidents, signalsUntil, now + 1);
      signalsUntil = now + 1;
    }
    const alerts = feed.due(now);
    if (alerts.length > 0) {
      const received = await manager.receiveAlerts(alerts, now);
      if (received.created > 0)
        process.stdout.write(
          `${pc.dim('↯')} ${clockTime(now)} ${received.created} new technical alert${received.created === 1 ? '' : 's'} (${alerts.length} messages)\n`,
        );
    }

    for (const incident of incidents) {
      if (incident.startMs <= now && !announced.has(`${incident.id}:start`) && incident.endMs > now) {
        announced.add(`${incident.id}:start`);
        process.stdout.write(
          `${pc.magenta('▶')} ${clockTime(now)} ${pc.bold('scripted incident')}: ${incident.title} (until ${clockTime(incident.endMs)})\n`,
        );
      }
      if (incident.endMs <= now && announced.has(`${incident.id}:start`) && !announced.has(`${incident.id}:end`)) {
        announced.add(`${incident.id}:end`);
        process.stdout.write(`${pc.magenta('■')} ${clockTime(now)} scripted incident over: ${incident.title}\n`);
      }
    }
    for (const status of runtime.registry.statuses(now)) {
      const key = `${status.journey}/${status.slo}`;
      const state = status.alerts.page ? 'page' : status.alerts.ticket ? 'ticket' : 'ok';
      const before = alertState.get(key);
      alertState.set(key, state);
      if (before === undefined || before === state) continue;
      const burn = status.burnRates['1h'];
      const detail = `${key}  burn 1h ${burn === null ? '—' : `${burn.toFixed(1)}×`}, budget left ${(status.errorBudget.remaining * 100).toFixed(1)}%`;
      if (state === 'page') process.stdout.write(`${pc.red('● PAGE  ')} ${clockTime(now)} ${detail}\n`);
      else if (state === 'ticket') process.stdout.write(`${pc.yellow('▲ TICKET')} ${clockTime(now)} ${detail}\n`);
      else process.stdout.write(`${pc.green('✓ OK    ')} ${clockTime(now)} ${detail} — resolved\n`);
    }
  };
  const loop = () => {
    tick().then(
      () => setTimeout(loop, TICK_MS).unref(),
      (error: unknown) => {
        process.stderr.write(`${pc.red('error')} live traffic: ${String(error)}\n`);
        setTimeout(loop, TICK_MS * 5).unref();
      },
    );
  };
  loop();
}
