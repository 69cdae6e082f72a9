import { describe, expect, it } from 'vitest';
import { authorizationHeader, forbiddenMessage, TOKEN_KEY, TokenGate, type TokenStorage } from './auth.js';

/** sessionStorage's contract over a Map. */
function mapStorage(): TokenStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

const throwing: TokenStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('the read token', () => {
  it('is sent as a bearer token, and not at all before one is given', () => {
    expect(authorizationHeader(null)).toEqual({});
    expect(authorizationHeader('s3cret')).toEqual({ authorization: 'Bearer s3cret' });
    expect(forbiddenMessage("the token lacks the 'write' scope")).toBe(
      "This token lacks the scope for that: the token lacks the 'write' scope",
    );
    expect(forbiddenMessage(undefined)).toBe('This token lacks the scope for that.');
  });

  it('opens one prompt for every call that met a 401, and lets them all retry with the submitted token', async () => {
    const storage = mapStorage();
    const gate = new TokenGate(storage);
    const seen: (string | null)[] = [];
    gate.subscribe(() => seen.push(gate.snapshot().prompt));
    const first = gate.tokenFor(null);
    const second = gate.tokenFor(null);
    expect(gate.snapshot()).toEqual({ prompt: 'needed' });
    expect(gate.submit('   ')).toBe(false);
    expect(gate.snapshot()).toEqual({ prompt: 'needed' });
    expect(gate.submit('  s3cret ')).toBe(true);
    expect(await Promise.all([first, second])).toEqual(['s3cret', 's3cret']);
    expect(storage.map.get(TOKEN_KEY)).toBe('s3cret');
    expect(gate.token()).toBe('s3cret');
    expect(seen).toEqual(['needed', 'needed', null]);
  });

  it('forgets a refused token and says so; a call that sent an older token retries at once with the new one', async () => {
    const storage = mapStorage();
    storage.map.set(TOKEN_KEY, 'old');
    const gate = new TokenGate(storage);
    expect(gate.token()).toBe('old');
    const waiting = gate.tokenFor('old');
    expect(gate.snapshot()).toEqual({ prompt: 'rejected' });
    expect(gate.token()).toBeNull();
    expect(storage.map.has(TOKEN_KEY)).toBe(false);
    gate.submit('new');
    expect(await waiting).toBe('new');
    expect(await gate.tokenFor('old')).toBe('new');
    expect(gate.snapshot()).toEqual({ prompt: null });
  });

  it('keeps the token in memory when the browser refuses storage', async () => {
    const gate = new TokenGate(throwing);
    const waiting = gate.tokenFor(null);
    gate.submit('s3cret');
    expect(await waiting).toBe('s3cret');
    expect(gate.token()).toBe('s3cret');
    expect(new TokenGate(null).token()).toBeNull();
  });
});
