/**
 * The dashboard's read token (docs/api.md ("Security")): kept in sessionStorage for this browser session,
 * sent on every call, and asked for once when the server answers 401. Pure of the DOM, so it is unit-tested.
 */

/** Where the token lives: one tab's session, gone when it closes. */
export const TOKEN_KEY = 'vigil.token';

/** The part of `Storage` the gate uses; sessionStorage in the browser, a Map in tests. */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Why the prompt is open: no token was sent yet, or the one sent was refused. */
export type PromptReason = 'needed' | 'rejected';

export interface GateState {
  prompt: PromptReason | null;
}

/**
 * `Authorization: Bearer <token>` when there is a token, nothing otherwise.
 * @example authorizationHeader('s3cret') // { authorization: 'Bearer s3cret' }
 */
export function authorizationHeader(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The words shown for a 403: the token is valid but may not do this.
 * @example forbiddenMessage('needs the write scope') // 'This token lacks the scope for that: needs the write scope'
 */
export function forbiddenMessage(serverMessage: string | undefined): string {
  return serverMessage ? `This token lacks the scope for that: ${serverMessage}` : 'This token lacks the scope for that.';
}

/**
 * One prompt for every call that met a 401: calls wait on `tokenFor`, the form calls `submit`, and all of
 * them retry with the new token. A token is trimmed; an empty one is never stored.
 * @example
 * const gate = new TokenGate(sessionStorage);
 * const token = await gate.tokenFor(null); // opens the prompt, resolves on submit
 */
export class TokenGate {
  private readonly storage: TokenStorage | null;
  private memory: string | null = null;
  private state: GateState = { prompt: null };
  private waiters: ((token: string) => void)[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(storage: TokenStorage | null) {
    this.storage = storage;
  }

  /** The token to send now, or null before one was given. */
  token(): string | null {
    try {
      return this.storage?.getItem(TOKEN_KEY) ?? this.memory;
    } catch {
      return this.memory; // storage disabled by the browser's settings: keep it for this page only
    }
  }

  /** What the prompt shows; a new object on every change (for useSyncExternalStore). */
  snapshot(): GateState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A token to retry with after a 401 answered to a call that sent `sent`. When another call has already
   * obtained a different token, that one at once; otherwise the prompt opens (saying the token was
   * refused when one was sent) and the promise resolves on submit.
   */
  tokenFor(sent: string | null): Promise<string> {
    const current = this.token();
    if (current !== null && current !== sent) return Promise.resolve(current);
    if (sent !== null) this.forget();
    this.set({ prompt: sent === null ? 'needed' : 'rejected' });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Store the token the user typed and let every waiting call retry; false (nothing done) when it is blank. */
  submit(input: string): boolean {
    const token = input.trim();
    if (token === '') return false;
    this.memory = token;
    try {
      this.storage?.setItem(TOKEN_KEY, token);
    } catch {
      // storage refused (quota, privacy mode): the in-memory copy serves this page
    }
    const waiters = this.waiters;
    this.waiters = [];
    this.set({ prompt: null });
    for (const resolve of waiters) resolve(token);
    return true;
  }

  private forget(): void {
    this.memory = null;
    try {
      this.storage?.removeItem(TOKEN_KEY);
    } catch {
      // nothing stored to remove
    }
  }

  private set(state: GateState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
