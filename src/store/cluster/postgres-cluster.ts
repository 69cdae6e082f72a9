/**
 * What several `vigil serve` processes on one PostgreSQL schema share beyond the capabilities (docs/scale-out.md):
 * the leader's advisory lock, the row naming the leader, and the aggregate rows changed since a watermark. Each
 * piece runs on a dedicated session of its own (never the pool's): a session-level advisory lock lives and dies
 * with the one connection that took it.
 */
import pg from 'pg';
import type { ScopeMinute, SliMinute } from '../../model/minutes.js';
import { types } from '../postgres/connection.js';

/** The meta row in which the leader advertises where it answers. */
export const LEADER_META_KEY = 'cluster.leader';

/** Meta rows in which each node says who it is, one per node (docs/scale-out.md ("The nodes")): this prefix, then its name. */
export const NODE_META_PREFIX = 'cluster.node.';

/** What a node says of itself at each beat. */
export interface NodeBeat {
  /** `host/pid`. */
  node: string;
  /** Where it answers (the advertised URL). */
  url: string;
  version: string;
  /** The fingerprint of its configuration (docs/scale-out.md ("The nodes")). */
  config: string;
  role: 'leader' | 'follower';
  /** When it started, epoch ms (its own clock). */
  startedAt: number;
}

/** A node as stored, with when it last said so and how long ago, both by PostgreSQL's clock (one clock for every node). */
export interface NodeRow extends NodeBeat {
  seenAt: number;
  ageMs: number;
}

/** PostgreSQL's clock, epoch ms. */
const DB_NOW_MS = 'floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/** The advisory lock's two keys: one lock per schema, so clusters on other schemas of the database do not compete. */
const LOCK_KEYS = "hashtext('vigil.leader'), hashtext(current_schema())";

/** A statement that has not answered within this long counts as a lost connection. */
const STATEMENT_TIMEOUT_MS = 5_000;

export interface ClusterSessionOptions {
  /** The store's URL (its ?options= search_path included). */
  url: string;
  /** The schema, when given apart from the URL (tests). */
  schema?: string;
}

/** Aggregate rows as totals, and the watermark to read from next time. */
export interface AggregateChanges {
  /** The oldest transaction still running at this read: rows it or any later transaction changes carry an id ≥ it. */
  watermark: string;
  sli: SliMinute[];
  scope: ScopeMinute[];
}

/** The leader as it advertises itself. */
export interface LeaderRow {
  url: string;
  node: string;
  since: number;
}

/** One dedicated session; `lost` is called once when it fails or ends. */
async function session(options: ClusterSessionOptions, lost: (error: Error) => void): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: options.url,
    types,
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    query_timeout: STATEMENT_TIMEOUT_MS,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  let reported = false;
  const report = (error: Error) => {
    if (reported) return;
    reported = true;
    lost(error);
  };
  client.on('error', report);
  client.on('end', () => report(new Error('connection ended')));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/**
 * Reads aggregate rows changed since a watermark (events migration 3 stamps each row with the transaction that last
 * changed it). One REPEATABLE READ transaction: the watermark and the rows come from one snapshot, so a transaction
 * that commits after the read is seen by the next one, however late it commits relative to others. The same session
 * reads the leader's row and writes and reads the nodes' beats.
 * @example const reader = new AggregateChangeReader({ url }); const w = await reader.watermark(); const c = await reader.changedSince(w);
 */
export class AggregateChangeReader {
  private client: pg.Client | undefined;
  private readonly options: ClusterSessionOptions;

  constructor(options: ClusterSessionOptions) {
    this.options = options;
  }

  /** The watermark now: reading from it later sees every row changed by a transaction not committed yet. */
  async watermark(): Promise<string> {
    const { rows } = await this.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
    return rows[0]!.xmin;
  }

  async changedSince(watermark: string): Promise<AggregateChanges> {
    const client = await this.connected();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const mark = await client.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      const sli = await client.query<SliMinute>('SELECT key, minute, good, total FROM sli_minutes WHERE changed_xid >= $1::xid8', [
        watermark,
      ]);
      const scope = await client.query<ScopeMinute>(
        "SELECT journey, NULLIF(step, '') AS step, minute, success, failure, rejected, abandoned FROM scope_minutes WHERE changed_xid >= $1::xid8",
        [watermark],
      );
      await client.query('COMMIT');
      return { watermark: mark.rows[0]!.xmin, sli: sli.rows, scope: scope.rows };
    } catch (error) {
      this.drop();
      throw error;
    }
  }

  /** Says who this node is now, stamped with PostgreSQL's clock (docs/scale-out.md ("The nodes")). */
  async beat(beat: NodeBeat): Promise<void> {
    await this.query(
      `INSERT INTO meta (key, value) VALUES ($1, jsonb_set($2::jsonb, '{seenAt}', to_jsonb(${DB_NOW_MS}))::text)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [NODE_META_PREFIX + beat.node, JSON.stringify(beat)],
    );
  }

  /** Every node that has said who it is and not been forgotten, by name. */
  async nodes(): Promise<NodeRow[]> {
    const { rows } = await this.query<{ value: string; now: string | number }>(
      `SELECT value, ${DB_NOW_MS} AS now FROM meta WHERE starts_with(key, $1) ORDER BY key`,
      [NODE_META_PREFIX],
    );
    return rows.map((r) => {
      const stored = JSON.parse(r.value) as NodeBeat & { seenAt: number };
      const beat: NodeRow = {
        node: stored.node,
        url: stored.url,
        version: stored.version,
        config: stored.config,
        role: stored.role,
        startedAt: stored.startedAt,
        seenAt: Number(stored.seenAt),
        ageMs: Number(r.now) - Number(stored.seenAt),
      };
      return beat;
    });
  }

  /** Forgets one node (it stops on purpose). */
  async forgetNode(node: string): Promise<void> {
    await this.query('DELETE FROM meta WHERE key = $1', [NODE_META_PREFIX + node]);
  }

  /** Forgets the nodes not heard from for longer than `olderThanMs` (a node killed, or restarted under a new pid). */
  async forgetNodes(olderThanMs: number): Promise<number> {
    const { rowCount } = await this.query(
      `DELETE FROM meta WHERE starts_with(key, $1) AND ${DB_NOW_MS} - (value::jsonb ->> 'seenAt')::bigint > $2`,
      [NODE_META_PREFIX, olderThanMs],
    );
    return rowCount ?? 0;
  }

  /** The leader, when one holds the lock and has advertised itself; null otherwise. */
  async leader(): Promise<LeaderRow | null> {
    const { rows } = await this.query<{ value: string }>(
      `SELECT m.value FROM meta m WHERE m.key = $1 AND (m.value::jsonb ->> 'pid')::int IN (
         SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.classid = hashtext('vigil.leader')::oid AND l.objid = hashtext(current_schema())::oid)`,
      [LEADER_META_KEY],
    );
    if (rows.length === 0) return null;
    const { url, node, since } = JSON.parse(rows[0]!.value) as LeaderRow;
    return { url, node, since };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    const client = await this.connected();
    try {
      return await client.query<R>(sql, params);
    } catch (error) {
      this.drop();
      throw error;
    }
  }

  private async connected(): Promise<pg.Client> {
    this.client ??= await session(this.options, () => this.drop());
    return this.client;
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}

/**
 * The leader's lock: a session-level advisory lock on a session of its own. Lost when that session fails or ends
 * (PostgreSQL releases the lock as soon as it sees the connection close, at once for a killed process).
 * @example const lock = await LeaderLock.tryTake({ url }, node, () => stopLeading()); if (lock) await lock.advertise(url);
 */
export class LeaderLock {
  private constructor(
    private readonly client: pg.Client,
    private readonly pid: number,
  ) {}

  /** The lock, or null when another session holds it. `lost` is called once if the session later fails. */
  static async tryTake(options: ClusterSessionOptions, lost: (error: Error) => void): Promise<LeaderLock | null> {
    let taken = false;
    const client = await session(options, (error) => {
      if (taken) lost(error);
    });
    try {
      const { rows } = await client.query<{ locked: boolean; pid: number }>(
        `SELECT pg_try_advisory_lock(${LOCK_KEYS}) AS locked, pg_backend_pid() AS pid`,
      );
      if (!rows[0]!.locked) {
        await client.end().catch(() => undefined);
        return null;
      }
      taken = true;
      return new LeaderLock(client, rows[0]!.pid);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** Name this node as the leader (the row is believed only while this session holds the lock). */
  async advertise(url: string, node: string, since: number): Promise<void> {
    const value = JSON.stringify({ url, node, since, pid: this.pid });
    await this.client.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      LEADER_META_KEY,
      value,
    ]);
  }

  /** A round trip on the lock's session: rejects when the session no longer answers. */
  async check(): Promise<void> {
    await this.client.query('SELECT 1');
  }

  /** Give the lock up (by ending its session). */
  async release(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
