/** The SourceStore on SQLite. */
import type { SliMinute } from '../../model/minutes.js';
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { type MinuteRow, minuteFromRow, UPSERT_WATERMARK, type WatermarkRow, watermarkFromRow } from './source-rows.js';
import type { SourceRead, SourceStore, SourceWatermark } from './source-store.js';
import { SQLITE_SOURCES_MIGRATIONS } from './schema.js';

class SqliteSources implements SourceStore {
  constructor(private readonly connection: SqliteConnection) {}

  async saveSourceRead(read: SourceRead): Promise<void> {
    const c = this.connection;
    c.guard(() => {
      const remove = c.stmt('DELETE FROM source_minutes WHERE sli_key = ? AND minute >= ? AND minute < ?');
      const insert = c.stmt('INSERT INTO source_minutes (sli_key, minute, good, total) VALUES (?, ?, ?, ?)');
      const mark = c.stmt(UPSERT_WATERMARK);
      c.db.transaction(() => {
        remove.run(read.key, read.fromMinute, read.toMinute);
        for (const m of read.minutes) insert.run(read.key, m.minute, m.good, m.total);
        mark.run(read.key, read.startMinute, read.watermark);
      })();
    });
  }

  async sourceMinutes(key: string, fromMinute: number, toMinute: number): Promise<SliMinute[]> {
    const sql = 'SELECT sli_key, minute, good, total FROM source_minutes WHERE sli_key = ? AND minute >= ? AND minute < ? ORDER BY minute';
    return this.connection.guard(() => (this.connection.stmt(sql).all(key, fromMinute, toMinute) as MinuteRow[]).map(minuteFromRow));
  }

  async countSourceMinutes(key: string, fromMinute: number, toMinute: number): Promise<number> {
    const sql = 'SELECT count(*) AS n FROM source_minutes WHERE sli_key = ? AND minute >= ? AND minute < ?';
    return this.connection.guard(() => Number((this.connection.stmt(sql).get(key, fromMinute, toMinute) as { n: number }).n));
  }

  async sourceWatermark(key: string): Promise<SourceWatermark | null> {
    const sql = 'SELECT sli_key, start_minute, watermark FROM source_watermarks WHERE sli_key = ?';
    const row = this.connection.guard(() => this.connection.stmt(sql).get(key) as WatermarkRow | undefined);
    return row ? watermarkFromRow(row) : null;
  }

  async sourceWatermarks(): Promise<SourceWatermark[]> {
    const sql = 'SELECT sli_key, start_minute, watermark FROM source_watermarks ORDER BY sli_key';
    return this.connection.guard(() => (this.connection.stmt(sql).all() as WatermarkRow[]).map(watermarkFromRow));
  }

  async dropSource(key: string): Promise<void> {
    const c = this.connection;
    c.guard(() =>
      c.db.transaction(() => {
        c.stmt('DELETE FROM source_minutes WHERE sli_key = ?').run(key);
        c.stmt('DELETE FROM source_watermarks WHERE sli_key = ?').run(key);
      })(),
    );
  }

  async purgeSourceMinutes(beforeMinute: number): Promise<number> {
    return this.connection.guard(() => this.connection.stmt('DELETE FROM source_minutes WHERE minute < ?').run(beforeMinute).changes);
  }
}

/** The sources capability's SQLite module, registered in capabilities.ts. */
export const sqliteSources: CapabilityBackend<SqliteConnection, SourceStore> = {
  migrations: SQLITE_SOURCES_MIGRATIONS,
  open: (connection) => new SqliteSources(connection),
};
