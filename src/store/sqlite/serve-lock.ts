/**
 * One server per SQLite file (docs/scale-out.md): `vigil serve` holds an exclusive lock on a small SQLite file beside
 * the database (`<file>-serve.lock`) for as long as it runs. The lock is the operating system's file lock, so a
 * killed server's lock goes with its process; a second server on the same file is refused at start with
 * store_in_use. Other writers (`vigil ingest`, `vigil import`) do not take it.
 */
import Database from 'better-sqlite3';
import { VigilError } from '../../errors/catalogue.js';

/** A held lock; release() gives it up. */
export interface ServeLock {
  release(): void;
}

/**
 * Take the serve lock of the SQLite database at `path`, or throw store_in_use when another server holds it.
 * @example const lock = takeServeLock('./vigil.db'); …; lock.release();
 */
export function takeServeLock(path: string): ServeLock {
  const lockPath = `${path}-serve.lock`;
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write under EXCLUSIVE locking mode takes the file's exclusive lock and keeps it until the connection closes.
    db.exec('CREATE TABLE IF NOT EXISTS serve_lock (held INTEGER); BEGIN EXCLUSIVE; COMMIT;');
  } catch (cause) {
    db.close();
    if ((cause as { code?: string }).code === 'SQLITE_BUSY') {
      throw new VigilError(
        'store_in_use',
        `Another vigil serve already serves ${path} (it holds ${lockPath}). A SQLite file has one server: stop the other one, ` +
          'or use PostgreSQL to run several nodes (docs/scale-out.md).',
        { cause },
      );
    }
    throw cause;
  }
  return { release: () => db.close() };
}
