/** The MetaStore capability: small named text values kept beside the data (the configuration last served, a demo's anchor). */

/** Key → text value; setMeta overwrites. */
export interface MetaStore {
  /** The value stored under key, or null. */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
}
