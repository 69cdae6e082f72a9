// Which addresses count as loopback for the no-token rule (docs/access.md ("Without tokens")).
import { describe, expect, it } from 'vitest';
import { isLoopback } from './serve.js';

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST'])(
    '%s is loopback',
    (host) => {
      expect(isLoopback(host)).toBe(true);
    },
  );
  it.each(['0.0.0.0', '::', '10.0.0.5', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'vigil.internal', 'localhost.evil.example', ''])(
    '%s is not',
    (host) => {
      expect(isLoopback(host)).toBe(false);
    },
  );
});
