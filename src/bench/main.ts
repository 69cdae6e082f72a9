/**
 * `npm run bench`: Vigil's performance figures, each as a ratio to a baseline measured in the same
 * run (these machines are noisy; absolute numbers travel badly, ratios less so).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { benchAccess } from './access.js';
import { benchIncidentHistory } from './incident-history.js';
import { benchBodyReading } from './body-reading.js';
import { benchCorrelation } from './correlation.js';
import { type EvaluateCaseResult, peakRss, runEvaluateCase } from './evaluate-slos.js';
import { benchIngestParse } from './ingest-breakdown.js';
import { runHostileBench } from './hostile-http.js';
import { type IngestBenchResult, type Rate, runClusterIngestBench, runIngestBench, runPostgresIngestBench } from './ingest-http.js';
import { NATS_URL, runNatsIngestBench } from './ingest-nats.js';
import { benchJourneyValue } from './journey-value.js';
import { runReadsWhileIngesting } from './reads-while-ingesting.js';
import { benchReload } from './reload.js';

const SELF = fileURLToPath(import.meta.url);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-GB')}/s`;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? pc.green('✓ meets target') : pc.red('✗ misses target'));

/** The sections to run: all, or those named in VIGIL_BENCH_ONLY (comma-separated; docs/capacity.md ("Measuring")). */
const SECTIONS = [
  'ingest',
  'nats',
  'cluster',
  'reads',
  'evaluate',
  'correlate',
  'hostile',
  'access',
  'bodies',
  'history',
  'reload',
  'value',
] as const;
type Section = (typeof SECTIONS)[number];
function sectionsToRun(): ReadonlySet<Section> {
  const only = process.env.VIGIL_BENCH_ONLY;
  if (only === undefined || only.trim() === '') return new Set(SECTIONS);
  const named = only.split(',').map((s) => s.trim());
  const unknown = named.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`VIGIL_BENCH_ONLY names unknown sections ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return new Set(named as Section[]);
}

function ingestLines(result: IngestBenchResult, store: string): void {
  process.stdout.write(`   baseline JSON.parse of the same lines  ${rate(result.jsonParseEventsPerSecond)}\n`);
  process.stdout.write(
    `   HTTP ingest into ${store.padEnd(10)} durable ${rate(result.httpEventsPerSecond)}  ` +
      `(${result.events.toLocaleString('en-GB')} events, ${result.clients} clients)\n`,
  );
  process.stdout.write(
    `   ratio                                  ${result.ratio.toFixed(3)}  target ≥ 0.25  ${verdict(result.ratio >= 0.25)}\n`,
  );
  process.stdout.write(`   server peak RSS                        ${mb(result.serverPeakRssBytes)}\n`);
}

/** Each evaluation case runs in a child process so that its peak memory is its own. */
function evaluateInChild(slos: number, volume: number): EvaluateCaseResult {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', SELF, '--evaluate-case', String(slos), String(volume)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as EvaluateCaseResult;
}

async function main(): Promise<void> {
  const caseIndex = process.argv.indexOf('--evaluate-case');
  if (caseIndex !== -1) {
    const result = runEvaluateCase(Number(process.argv[caseIndex + 1]), Number(process.argv[caseIndex + 2]));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`${pc.bold('Vigil benchmarks')}  (node ${process.version}, ${new Date().toISOString()})\n\n`);

  const runs = sectionsToRun();
  if (runs.has('ingest')) {
    process.stdout.write(
      `${pc.bold('1. Ingest')}: NDJSON batches of 1,000 events over HTTP into vigil serve on SQLite (WAL, synchronous=FULL)\n`,
    );
    const batches = Number(process.env.VIGIL_BENCH_BATCHES ?? 100);
    const sqlite = await runIngestBench(batches, undefined, true);
    ingestLines(sqlite, 'SQLite');
    // What bounds the ratio on this machine (docs/capacity.md ("The ceiling and the floor")).
    const bound = (label: string, r: Rate | undefined) => {
      if (r) process.stdout.write(`   ${label.padEnd(78)} ${rate(r.eventsPerSecond)}  ${r.ratio.toFixed(3)} of JSON.parse\n`);
    };
    bound('ceiling: the same HTTP path into a server whose event store discards appends', sqlite.ceiling);
    bound('SQLite floor: one INSERT per event, events columns, no index', sqlite.floor?.unindexed);
    bound("SQLite floor: one INSERT per event, events columns, with Vigil's indexes", sqlite.floor?.indexed);
    const parts = await benchIngestParse();
    process.stdout.write(`   where the time goes on SQLite (same lines, no HTTP):\n`);
    process.stdout.write(
      `     parse + validate                     ${rate(parts.parseValidatePerSecond)}  ${parts.parseValidateRatio.toFixed(2)} of JSON.parse\n`,
    );
    process.stdout.write(
      `     parse + validate + SQLite append     ${rate(parts.ingestSqlitePerSecond)}  ${parts.ingestSqliteRatio.toFixed(2)} of JSON.parse\n\n`,
    );
    const pgUrl = process.env.VIGIL_BENCH_DATABASE_URL ?? process.env.VIGIL_TEST_DATABASE_URL;
    process.stdout.write(`${pc.bold('1a. Ingest on PostgreSQL')}: the same batches into vigil serve on PostgreSQL, a schema of its own\n`);
    if (pgUrl === undefined)
      process.stdout.write('   not run: set VIGIL_BENCH_DATABASE_URL to a postgres:// URL whose role may create schemas\n');
    else ingestLines(await runPostgresIngestBench(pgUrl, batches), 'PostgreSQL');
    process.stdout.write('\n');
  }

  if (runs.has('nats')) {
    process.stdout.write(
      `${pc.bold('1c. Ingest through NATS JetStream')}: the same batches into vigil serve --queue on SQLite (docs/nats.md), at ${NATS_URL}\n`,
    );
    try {
      const queued = await runNatsIngestBench(Number(process.env.VIGIL_BENCH_BATCHES ?? 100));
      process.stdout.write(`   baseline JSON.parse of the same lines  ${rate(queued.jsonParseEventsPerSecond)}\n`);
      process.stdout.write(
        `   acknowledged (durable in JetStream)    ${rate(queued.acknowledgedEventsPerSecond)}  ${queued.acknowledgedRatio.toFixed(3)} of JSON.parse\n`,
      );
      process.stdout.write(
        `   consumed into the store                ${rate(queued.storedEventsPerSecond)}  ${queued.storedRatio.toFixed(3)} of JSON.parse\n\n`,
      );
    } catch (error) {
      process.stdout.write(`   not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n\n`);
    }
  }

  if (runs.has('cluster')) {
    const pgUrl = process.env.VIGIL_BENCH_DATABASE_URL ?? process.env.VIGIL_TEST_DATABASE_URL;
    process.stdout.write(
      `${pc.bold('1d. Three nodes on one PostgreSQL')}: the same batches spread over three vigil serve nodes (docs/scale-out.md)\n`,
    );
    if (pgUrl === undefined)
      process.stdout.write('   not run: set VIGIL_BENCH_DATABASE_URL to a postgres:// URL whose role may create schemas\n\n');
    else {
      const batches = Number(process.env.VIGIL_BENCH_BATCHES ?? 100);
      const one = await runPostgresIngestBench(pgUrl, batches);
      const three = await runClusterIngestBench(pgUrl, 3, batches);
      process.stdout.write(`   baseline JSON.parse of the same lines  ${rate(three.jsonParseEventsPerSecond)}\n`);
      process.stdout.write(
        `   one node, ${one.clients} clients                   ${rate(one.httpEventsPerSecond)}  ${one.ratio.toFixed(3)} of JSON.parse\n`,
      );
      process.stdout.write(
        `   three nodes, ${three.clients} clients                ${rate(three.httpEventsPerSecond)}  ${three.ratio.toFixed(3)} of JSON.parse  ` +
          `= ${(three.httpEventsPerSecond / one.httpEventsPerSecond).toFixed(2)}× one node\n\n`,
      );
    }
  }

  if (runs.has('reads')) {
    process.stdout.write(
      `${pc.bold('1b. Reads while ingesting on SQLite')}: GET journeys and SLO status in a loop while 2 clients push 1,000-event batches\n`,
    );
    const rw = await runReadsWhileIngesting(
      Number(process.env.VIGIL_BENCH_READS ?? 600),
      Number(process.env.VIGIL_BENCH_READ_BATCHES ?? 400),
    );
    process.stdout.write(
      `   reads, no ingest (baseline)            p50 ${ms(rw.idle.p50Ms)}  p99 ${ms(rw.idle.p99Ms)}  (${rw.idle.reads} reads)\n`,
    );
    process.stdout.write(
      `   reads while ingesting                  p50 ${ms(rw.ingesting.p50Ms)}  p99 ${ms(rw.ingesting.p99Ms)}  (${rw.ingesting.reads} reads)\n`,
    );
    process.stdout.write(`   ingest meanwhile                       ${rate(rw.ingestEventsPerSecond)}\n`);
    process.stdout.write(
      `   p99 ratio to baseline ${rw.p99Ratio.toFixed(1)}; p99 while ingesting ≤ 100 ms  ${verdict(rw.ingesting.p99Ms <= 100)}\n\n`,
    );
  }
  if (runs.has('evaluate')) {
    process.stdout.write(
      `${pc.bold('2. Evaluate')}: status of all SLOs at one instant, 28 d window + 3 d of burn windows of minute data per SLO\n`,
    );
    const cases = [
      [100, 1],
      [1000, 1],
      [1000, 1000],
      [10_000, 1],
    ] as const;
    const results = cases.map(([slos, volume]) => evaluateInChild(slos, volume));
    const base = results[0]!;
    process.stdout.write(
      `   ${'SLOs'.padStart(6)}  ${'events/min'.padStart(10)}  ${'evaluate'.padStart(9)}  ${'per SLO'.padStart(8)}  ` +
        `${'× 100-SLO case'.padStart(14)}  ${'load'.padStart(7)}  peak RSS\n`,
    );
    for (const r of results) {
      const perSlo = (r.evaluateMs / r.slos) * 1000;
      process.stdout.write(
        `   ${String(r.slos).padStart(6)}  ${`~${55 * r.volume}`.padStart(10)}  ${`${r.evaluateMs.toFixed(2)} ms`.padStart(9)}  ` +
          `${`${perSlo.toFixed(1)} µs`.padStart(8)}  ${(r.evaluateMs / base.evaluateMs).toFixed(1).padStart(14)}  ` +
          `${`${(r.loadMs / 1000).toFixed(1)} s`.padStart(7)}  ${mb(r.peakRssBytes)}\n`,
      );
    }
    const thousand = results[1]!;
    const heavy = results[2]!;
    process.stdout.write(`   1,000 SLOs in ${thousand.evaluateMs.toFixed(1)} ms: target ≤ 50 ms  ${verdict(thousand.evaluateMs <= 50)}\n`);
    process.stdout.write(
      `   1,000× the events per minute: ${(heavy.evaluateMs / thousand.evaluateMs).toFixed(2)}× the time (cost follows SLOs and minutes, not events)\n\n`,
    );
  }
  if (runs.has('correlate')) {
    process.stdout.write(`${pc.bold('3. Correlate')}: a storm of 10,000 alerts over 500 services and 50 journeys into incidents\n`);
    const storm = benchCorrelation();
    const stormRss = peakRss();
    process.stdout.write(`   baseline group-by-labels (alertname + service)  ${storm.baselineMs.toFixed(1)} ms\n`);
    process.stdout.write(
      `   Vigil correlation (stages, services, window)    ${storm.ms.toFixed(1)} ms  = ${storm.ratio.toFixed(1)}× the baseline` +
        ` → ${storm.incidents} incidents\n`,
    );
    process.stdout.write(
      `   same storm in scrambled order                   ${storm.scrambledMs.toFixed(1)} ms → ${storm.scrambledIncidents} incidents` +
        `${storm.scrambledIncidents === storm.incidents ? ' (same grouping)' : pc.red(' (different grouping!)')}\n`,
    );
    process.stdout.write(`   whole storm ≤ 1 s: ${verdict(storm.ms <= 1000)}; bench process peak RSS ${mb(stormRss)}\n\n`);
  }
  if (runs.has('hostile')) {
    process.stdout.write(
      `${pc.bold('4. Alert intake and hostile input')}: vigil serve on SQLite; 10,000 alerts in Alertmanager payloads of 100, 2 clients\n`,
    );
    const hostile = await runHostileBench();
    process.stdout.write(`   baseline bare Correlator, same alerts   ${rate(hostile.correlatorAlertsPerSecond)}\n`);
    process.stdout.write(
      `   HTTP intake, durable                    ${rate(hostile.httpAlertsPerSecond)}  = ${hostile.ratio.toFixed(3)} of the baseline  ` +
        `target ≥ 5,000/s  ${verdict(hostile.httpAlertsPerSecond >= 5000)}\n`,
    );
    process.stdout.write(
      `   /healthz slowest answer meanwhile       ${hostile.healthzMaxMs.toFixed(0)} ms  target < 100 ms  ${verdict(hostile.healthzMaxMs < 100)}\n`,
    );
    process.stdout.write(`   ${'case'.padEnd(44)}  ${'body'.padStart(8)}  status  ${'time'.padStart(8)}  RSS after  /healthz max\n`);
    for (const c of hostile.cases) {
      const body = `${(c.bodyBytes / 1024).toFixed(0)} kB`;
      const status = c.status === 0 ? 'closed' : String(c.status);
      process.stdout.write(
        `   ${c.name.padEnd(44)}  ${body.padStart(8)}  ${status.padStart(6)}  ${`${c.ms.toFixed(0)} ms`.padStart(8)}  ` +
          `${mb(c.rssAfterBytes).padStart(9)}  ${`${c.healthzMaxMs.toFixed(0)} ms`.padStart(11)}\n`,
      );
    }
    process.stdout.write(`   server peak RSS                         ${mb(hostile.serverPeakRssBytes)}\n`);
  }
  if (runs.has('access')) {
    process.stdout.write(`${pc.bold('5. Access')}: GET /api/v1/info through the server, without tokens and with a read token\n`);
    const access = await benchAccess();
    process.stdout.write(`   baseline, no token needed   ${rate(access.openPerSecond)}\n`);
    process.stdout.write(`   with a Bearer token         ${rate(access.tokenPerSecond)}\n`);
    process.stdout.write(`   ratio                       ${access.ratio.toFixed(3)}  target ≥ 0.8  ${verdict(access.ratio >= 0.8)}\n`);
  }
  if (runs.has('bodies')) {
    const body = benchBodyReading();
    process.stdout.write(`${pc.bold('6. Reading bodies')}: a ${(body.bytes / 1024).toFixed(0)} KiB Alertmanager payload of 2,000 alerts\n`);
    process.stdout.write(`   strict UTF-8 decode ÷ Buffer.toString (replacing)     ${body.decodeRatio.toFixed(2)}\n`);
    process.stdout.write(`   parseJsonBody (depth, text and key walk) ÷ JSON.parse  ${body.parseRatio.toFixed(2)}\n`);
  }
  if (runs.has('history')) {
    const history = await benchIncidentHistory();
    process.stdout.write(
      `${pc.bold('7. Incident history')}: ${history.incidents.toLocaleString('en')} incidents stored, SQLite, pages of 50\n`,
    );
    process.stdout.write(`   baseline newest page, no filter          ${history.pageMs.toFixed(2)} ms\n`);
    process.stdout.write(
      `   text + journey filtered page and total    ${history.textPageMs.toFixed(2)} ms  = ${history.ratio.toFixed(1)}× the baseline\n`,
    );
  }
  if (runs.has('reload')) {
    const reload = await benchReload();
    process.stdout.write(
      `${pc.bold('8. Reloading the configuration')}: ${reload.events.toLocaleString('en-GB')} events over a day, SQLite\n`,
    );
    process.stdout.write(`   baseline, a restart's reconcile and load      ${reload.restartMs.toFixed(0)} ms\n`);
    process.stdout.write(`   reload, an objective changed ÷ baseline       ${reload.ratio.toFixed(2)}\n`);
    process.stdout.write(`   reload adding an SLI ÷ a start recomputing it ${reload.newSliRatio.toFixed(2)}\n`);
    process.stdout.write(
      `   an append waiting behind that reload          ${reload.appendWaitMs.toFixed(0)} ms (${reload.reloadNewSliMs.toFixed(0)} ms reload)\n`,
    );
  }
  if (runs.has('value')) {
    const value = await benchJourneyValue(Number(process.env.VIGIL_BENCH_VALUE_RUNS ?? 20));
    process.stdout.write(
      `${pc.bold('9. What unreliability cost')}: GET /api/v1/journeys/${value.journey}/value over 28 days (4 weeks of history before), ` +
        "the demo's largest journey, SQLite\n",
    );
    process.stdout.write(
      `   ${'journey, traffic'.padEnd(16)}  ${'events'.padStart(10)}  ${'status p50'.padStart(10)}  ` +
        `${'value p50'.padStart(10)}  ${'value p95'.padStart(10)}  ÷ status\n`,
    );
    for (const c of value.cases) {
      process.stdout.write(
        `   ${`${c.journey} ×${c.scale}`.padEnd(16)}  ${c.events.toLocaleString('en-GB').padStart(10)}  ${ms(c.status.medianMs).padStart(10)}  ` +
          `${ms(c.value.medianMs).padStart(10)}  ${ms(c.value.p95Ms).padStart(10)}  ${c.ratio.toFixed(0)}×\n`,
      );
    }
    const [one, big, card] = value.cases;
    process.stdout.write(
      `   value p50 at the demo's traffic: target < 200 ms  ${verdict(one.value.medianMs < 200 && card.value.medianMs < 200)}\n`,
    );
    process.stdout.write(
      `   ${(big.events / one.events).toFixed(1)}× the events: ${(big.value.medianMs / one.value.medianMs).toFixed(2)}× the time ` +
        '(minute aggregates only; card payments add the abandonment sample of raw events, at most 200 failures a day)\n',
    );
  }
}

await main();
