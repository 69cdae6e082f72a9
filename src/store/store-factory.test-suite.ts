/** How a backend's test file hands fresh stores to the contract suites. */
import type { Store } from './store.js';

/**
 * A fresh, migrated, empty store; `reopen` opens another Store on the same database (read-only if
 * asked); cleanup closes every store opened and removes whatever it created.
 */
export type StoreFactory = () => Promise<{
  store: Store;
  reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
  cleanup: () => Promise<void>;
}>;
