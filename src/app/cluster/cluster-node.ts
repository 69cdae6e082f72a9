/**
 * One node of several on one PostgreSQL schema (docs/scale-out.md): the pieces `vigil serve` puts together when its
 * store is PostgreSQL. Memory follows the store's aggregate totals; the leader (advisory lock) runs alerting, the
 * notification outbox, retention and the other leader work; followers pass leader-only writes to it.
 */
import { hostname } from 'node:os';
import type { ClusterResponse } from '../../api/cluster.js';
import { AggregateChangeReader, type ClusterSessionOptions, type NodeRow } from '../../store/cluster/postgres-cluster.js';
import type { LeaderForwarding } from '../../server/forward-to-leader.js';
import type { IncidentManager } from '../incident-manager.js';
import type { LeaderWork } from '../leader-work.js';
import type { RuntimeLog, VigilRuntime } from '../runtime.js';
import { AdvisoryLeadership, type Role } from './advisory-leadership.js';
import { clusterAnswer } from '../read-models/cluster-view.js';
import { AggregateRefresh } from './aggregate-refresh.js';
import { configFingerprint } from './config-fingerprint.js';
import { Periodic } from './periodic.js';

/** How often a node looks for corrections added through another node's API (docs/scale-out.md ("Corrections on every node")). */
export const CORRECTIONS_EVERY_MS = 1_000;

/** How often a node says who it is (docs/scale-out.md ("The nodes")). */
export const NODE_BEAT_MS = 5_000;
/** A node not heard from for a day is forgotten. */
const FORGET_NODES_MS = 24 * 3_600_000;

/** ClusterNodes made by this process so far. */
let nodesInProcess = 0;

/** The outbox as leader work needs it. */
interface Startable {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Work a single node starts at once and a cluster runs on its leader only: correlation ticks and notifications (the
 * retention purge, probes, status pages and tolerance watch are leader work in both).
 */
export function alertingWork(incidents: IncidentManager, outbox: Startable): LeaderWork[] {
  return [
    { name: 'alerting', start: () => incidents.startTicking(), stop: () => incidents.stop() },
    { name: 'notifications', start: () => outbox.start(), stop: () => outbox.stop() },
  ];
}

/**
 * The cluster side of a node, in two steps: `ClusterNode.before` takes the aggregate watermark before the runtime
 * loads the aggregates (so nothing committed during the load is missed), `attach` follows the store from then on.
 * @example const node = await ClusterNode.before({ url }, log); const runtime = await VigilRuntime.start(…); node.attach(runtime);
 */
export class ClusterNode {
  /** `host/pid`, with `-n` for the n-th node of one process (tests run several). */
  readonly name = `${hostname()}/${process.pid}${++nodesInProcess > 1 ? `-${nodesInProcess}` : ''}`;
  private readonly session: ClusterSessionOptions;
  private readonly reader: AggregateChangeReader;
  private readonly log: RuntimeLog;
  private readonly watermark: string;
  private refresh: AggregateRefresh | undefined;
  private leadership: AdvisoryLeadership | undefined;
  /** Putting in force the corrections other nodes stored, and saying who this node is: each once started. */
  private corrections: Periodic | undefined;
  private beats: Periodic | undefined;
  private readonly startedAt = Date.now();
  /** The nodes as last read, and what this node says of itself (before its first beat is read back). */
  private rows: NodeRow[] = [];
  private self: Omit<NodeRow, 'seenAt' | 'ageMs'> | undefined;
  /** The differences last logged: a warning when they change, a note when they are gone. */
  private lastDifferences = '';

  private constructor(session: ClusterSessionOptions, reader: AggregateChangeReader, watermark: string, log: RuntimeLog) {
    this.session = session;
    this.reader = reader;
    this.watermark = watermark;
    this.log = log;
  }

  static async before(session: ClusterSessionOptions, log: RuntimeLog): Promise<ClusterNode> {
    const reader = new AggregateChangeReader(session);
    try {
      return new ClusterNode(session, reader, await reader.watermark(), log);
    } catch (error) {
      await reader.close();
      throw error;
    }
  }

  /** Follow the store's aggregates: every refresh period, and before each append of this node answers. */
  attach(runtime: VigilRuntime): void {
    this.refresh = new AggregateRefresh({
      source: this.reader,
      registry: () => runtime.registry,
      watermark: this.watermark,
      log: this.log,
    });
    const refresh = this.refresh;
    runtime.append.followStore(() => refresh.refreshNow());
    refresh.start();
  }

  /**
   * Every CORRECTIONS_EVERY_MS, puts in force the corrections another node stored, switching while no alerting step
   * runs, as an add through this node's API does (docs/scale-out.md ("Corrections on every node")).
   */
  followCorrections(runtime: VigilRuntime, incidents: Pick<IncidentManager, 'reconfigure'>): void {
    this.corrections = new Periodic({
      everyMs: CORRECTIONS_EVERY_MS,
      log: this.log,
      failed: 'cluster: putting in force the corrections of other nodes failed',
      recovered: 'cluster: reading the corrections from the store again',
      run: async () => {
        const { adopted, recomputed } = await runtime.adoptStoredCorrections((swap) => incidents.reconfigure(swap));
        if (adopted.length > 0)
          this.log.info(
            `cluster: put in force ${adopted.length === 1 ? 'correction' : 'corrections'} ${adopted.join(', ')} ` +
              `added on another node; ${recomputed.length} SLI${recomputed.length === 1 ? '' : 's'} recomputed`,
          );
      },
    });
    this.corrections.start();
  }

  /**
   * Says who this node is every NODE_BEAT_MS (its URL, role, version and configuration fingerprint), reads who the others
   * are, and logs a warning when live nodes differ in version or configuration (docs/scale-out.md ("The nodes")).
   */
  startBeating(runtime: Pick<VigilRuntime, 'config'>, url: string, version: string): void {
    this.beats = new Periodic({
      everyMs: NODE_BEAT_MS,
      log: this.log,
      failed: 'cluster: saying who this node is failed',
      recovered: 'cluster: saying who this node is again',
      run: async () => {
        const self = {
          node: this.name,
          url,
          version,
          config: configFingerprint(runtime.config),
          role: this.role(),
          startedAt: this.startedAt,
        };
        this.self = self;
        await this.reader.beat(self);
        await this.reader.forgetNodes(FORGET_NODES_MS);
        this.rows = await this.reader.nodes();
        this.judgeDifferences();
      },
    });
    this.beats.start(true);
  }

  /** The nodes serving this store as last read, this one among them (`GET /api/v1/cluster`). */
  view(): ClusterResponse {
    const known = this.rows.some((r) => r.node === this.name) || !this.self;
    const rows = known ? this.rows : [...this.rows, { ...this.self!, seenAt: Date.now(), ageMs: 0 }];
    // This node's role as it is now: a takeover since the last beat shows at once.
    const role = this.role();
    return clusterAnswer({ mode: 'cluster', self: this.name, rows: rows.map((r) => (r.node === this.name ? { ...r, role } : r)) });
  }

  private judgeDifferences(): void {
    const { differences } = this.view();
    const text = differences.join('; ');
    if (text === this.lastDifferences) return;
    if (text !== '')
      this.log.warn(`cluster: the live nodes differ (${text}): their figures may differ; deploy one vigil.yaml and one version to all`);
    else this.log.info('cluster: every live node runs the same version and configuration again');
    this.lastDifferences = text;
  }

  /** The leadership, once this node knows the URL it answers on. */
  lead(url: string, incidents: IncidentManager): AdvisoryLeadership {
    this.leadership = new AdvisoryLeadership({
      session: this.session,
      url,
      node: this.name,
      log: this.log,
      onLead: () => incidents.resync(),
      onFollow: () => incidents.resync(),
    });
    return this.leadership;
  }

  role(): Role {
    return this.leadership?.role() ?? 'follower';
  }

  /** What the server's forwarding hook asks. */
  forwarding(): LeaderForwarding {
    return {
      leads: () => this.role() === 'leader',
      leaderUrl: async () => (await this.reader.leader())?.url ?? null,
    };
  }

  /** Stop following (the leadership is stopped by its owner first). */
  async close(): Promise<void> {
    if (this.beats) {
      await this.beats.stop();
      // A node stopped on purpose leaves the list at once; one that dies shows as gone until forgotten (docs/scale-out.md ("The nodes")).
      await this.reader.forgetNode(this.name).catch(() => undefined);
    }
    await this.corrections?.stop();
    await this.refresh?.stop();
    await this.reader.close();
  }
}
