/**
 * `npm run bench`: Vigil's performance figures, each as a ratio to a baseline measured in the same
 * run (these machines are noisy; absolute numbers travel badly, ratios less so).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { type EvaluateCaseResult, runEvaluateCase } from './evaluate-slos.js';
import { runIngestBench } from './ingest-http.js';

const SELF = fileURLToPath(import.meta.url);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-GB')}/s`;
const verdict = (ok: boolean) => (ok ? pc.green('✓ meets target') : pc.red('✗ misses target'));

/** Each evaluation case runs in a child process so that its peak memory is its own. */
function evaluateInChild(slos: number, volume: number): EvaluateCaseResult {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', SELF, '--evaluate-case', String(slos), String(volume)], { encoding: 'utf8', maxBuffer: 1 << 20 });
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

  process.stdout.write(`${pc.bold('1. Ingest')}: NDJSON batches of 1,000 events over HTTP into vigil serve on SQLite (WAL, synchronous=FULL)\n`);
  const ingest = await runIngestBench(Number(process.env.VIGIL_BENCH_BATCHES ?? 100));
  process.stdout.write(`   baseline JSON.parse of the same lines  ${rate(ingest.jsonParseEventsPerSecond)}\n`);
  process.stdout.write(`   HTTP ingest, durable                   ${rate(ingest.httpEventsPerSecond)}  (${ingest.events.toLocaleString('en-GB')} events, 2 clients)\n`);
  process.stdout.write(`   ratio                                  ${ingest.ratio.toFixed(3)}  target ≥ 0.25  ${verdict(ingest.ratio >= 0.25)}\n`);
  process.stdout.write(`   server peak RSS                        ${mb(ingest.serverPeakRssBytes)}\n\n`);

  process.stdout.write(`${pc.bold('2. Evaluate')}: status of all SLOs at one instant, 28 d window + 3 d of burn windows of minute data per SLO\n`);
  const cases = [
    [100, 1],
    [1000, 1],
    [1000, 1000],
    [10_000, 1],
  ] as const;
  const results = cases.map(([slos, volume]) => evaluateInChild(slos, volume));
  const base = results[0]!;
  process.stdout.write(`   ${'SLOs'.padStart(6)}  ${'events/min'.padStart(10)}  ${'evaluate'.padStart(9)}  ${'per SLO'.padStart(8)}  ${'× 100-SLO case'.padStart(14)}  ${'load'.padStart(7)}  peak RSS\n`);
  for (const r of results) {
    const perSlo = (r.evaluateMs / r.slos) * 1000;
    process.stdout.write(
      `   ${String(r.slos).padStart(6)}  ${`~${55 * r.volume}`.padStart(10)}  ${`${r.evaluateMs.toFixed(2)} ms`.padStart(9)}  ${`${perSlo.toFixed(1)} µs`.padStart(8)}  ${(r.evaluateMs / base.evaluateMs).toFixed(1).padStart(14)}  ${`${(r.loadMs / 1000).toFixed(1)} s`.padStart(7)}  ${mb(r.peakRssBytes)}\n`,
    );
  }
  const thousand = results[1]!;
  const heavy = results[2]!;
  process.stdout.write(`   1,000 SLOs in ${thousand.evaluateMs.toFixed(1)} ms: target ≤ 50 ms  ${verdict(thousand.evaluateMs <= 50)}\n`);
  process.stdout.write(`   1,000× the events per minute: ${(heavy.evaluateMs / thousand.evaluateMs).toFixed(2)}× the time (cost follows SLOs and minutes, not events)\n`);
}

await main();
