/** `vigil ingest FILE.ndjson`: send journey events to a server or straight into a database, with progress. */
import { createReadStream, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { VigilError } from '../../errors/catalogue.js';
import type { IngestResponse } from '../../api/events.js';
import type { VigilConfig } from '../../model/config.js';
import { CONFIG_META_KEY, VigilRuntime } from '../../app/runtime.js';
import { openStore } from '../../store/open.js';
import { action, authorization, loadConfigOrThrow, TOKEN_OPTION, serverUrl } from '../shared.js';

interface IngestOptions {
  server?: string;
  token?: string;
  database?: string;
  config?: string;
  batch: number;
}

/** What the server (or the local ingest) answers for one batch: the wire contract's ingest answer. */
type BatchAnswer = IngestResponse;

type SendBatch = (ndjson: string) => Promise<BatchAnswer>;

const MAX_SHOWN_REJECTIONS = 20;

/** Read a file as lines in batches of `size` non-empty lines, with the byte offset reached. */
async function* batches(path: string, size: number): AsyncGenerator<{ lines: string[]; firstLine: number; bytes: number }> {
  let carry = '';
  let lines: string[] = [];
  let lineNo = 0;
  let firstLine = 1;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    bytes += Buffer.byteLength(chunk as string);
    const text = carry + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      lineNo++;
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.trim() === '') continue;
      if (lines.length === 0) firstLine = lineNo;
      lines.push(line);
      if (lines.length === size) {
        yield { lines, firstLine, bytes };
        lines = [];
      }
    }
    carry = text.slice(start);
  }
  if (carry.trim() !== '') {
    lineNo++;
    if (lines.length === 0) firstLine = lineNo;
    lines.push(carry);
  }
  if (lines.length > 0) yield { lines, firstLine, bytes };
}

function serverSender(url: string, token: string | undefined): SendBatch {
  const target = new URL('/api/v1/events', url).href;
  return async (ndjson) => {
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...authorization(token) },
        body: ndjson,
      });
    } catch (cause) {
      throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${url}`, { cause });
    }
    const body = (await response.json()) as BatchAnswer & { error?: { code: string; message: string } };
    if (response.status === 401 || response.status === 403) {
      throw new VigilError(
        response.status === 401 ? 'unauthorized' : 'forbidden',
        `${target} answered ${response.status}: ${body.error?.message ?? ''}`,
      );
    }
    if (response.status !== 200 && response.status !== 400) {
      throw new VigilError(
        'internal_error',
        `${target} answered ${response.status}: ${body.error?.code ?? ''} ${body.error?.message ?? ''}`,
      );
    }
    return body;
  };
}

async function databaseSender(database: string, configPath: string | undefined): Promise<{ send: SendBatch; close: () => Promise<void> }> {
  const store = await openStore(database);
  let config: VigilConfig;
  if (configPath) config = await loadConfigOrThrow(configPath);
  else {
    const saved = await store.meta.getMeta(CONFIG_META_KEY);
    if (!saved) {
      await store.close();
      throw new VigilError('config_not_found', `${database} holds no configuration yet; give one with --config`);
    }
    config = JSON.parse(saved) as VigilConfig;
  }
  const runtime = await VigilRuntime.start({ config, store });
  return { send: async (ndjson) => runtime.ingestor.ingest(ndjson, 'application/x-ndjson'), close: () => runtime.close() };
}

function parseBatch(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('expected a whole number from 1 to 100000');
  return n;
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('send the journey events of an NDJSON file to a server, or into a database file')
    .argument('<file>', 'NDJSON file: one event per line (docs/api.md ("The event"))')
    .option('-s, --server <url>', 'a running Vigil server (default when no --database: http://127.0.0.1:8080)')
    .option(...TOKEN_OPTION)
    .option('-d, --database <location>', 'write into this database directly (no server may be running on it)')
    .option('-c, --config <path>', 'with --database: the configuration (default: the one the last server stored)')
    .option('-b, --batch <n>', 'events per request', parseBatch, 1000)
    .action(
      action(async (file: string, opts: IngestOptions) => {
        let size: number;
        try {
          size = statSync(file).size;
        } catch (cause) {
          throw new VigilError('config_not_found', `Cannot read ${file}`, { cause });
        }
        const target = opts.database
          ? await databaseSender(opts.database, opts.config)
          : { send: serverSender(serverUrl(opts.server), opts.token), close: async () => {} };
        const totals = { accepted: 0, duplicates: 0, rejected: 0 };
        const shown: string[] = [];
        const tty = process.stderr.isTTY === true;
        const bar = tty
          ? new cliProgress.SingleBar(
              {
                format: `${pc.cyan('{bar}')} {percentage}% | {accepted} accepted, {duplicates} duplicate, {rejected} rejected | {eta_formatted} left`,
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        bar?.start(Math.max(size, 1), 0, totals);
        let lastReported = 0;
        const started = Date.now();
        try {
          for await (const batch of batches(file, opts.batch)) {
            const answer = await target.send(batch.lines.join('\n'));
            totals.accepted += answer.accepted;
            totals.duplicates += answer.duplicates;
            totals.rejected += answer.rejectedCount;
            for (const r of answer.rejected) {
              if (shown.length < MAX_SHOWN_REJECTIONS) shown.push(`line ${batch.firstLine + r.index}: ${r.code}: ${r.message}`);
            }
            bar?.update(batch.bytes, totals);
            if (!tty && batch.bytes / size - lastReported >= 0.1) {
              lastReported = batch.bytes / size;
              process.stderr.write(`${Math.round(lastReported * 100)}% … ${totals.accepted} accepted\n`);
            }
          }
        } finally {
          bar?.stop();
          await target.close();
        }
        for (const line of shown) process.stderr.write(`${pc.yellow('rejected')} ${line}\n`);
        if (totals.rejected > shown.length) process.stderr.write(pc.dim(`… and ${totals.rejected - shown.length} more rejections\n`));
        const seconds = (Date.now() - started) / 1000;
        process.stdout.write(
          `${pc.green(`${totals.accepted} accepted`)}, ${totals.duplicates} duplicate${totals.duplicates === 1 ? '' : 's'}, ` +
            `${totals.rejected > 0 ? pc.red(`${totals.rejected} rejected`) : '0 rejected'} in ${seconds.toFixed(1)} s\n`,
        );
        if (totals.rejected > 0 && totals.accepted + totals.duplicates === 0) process.exitCode = 1;
      }),
    );
}
