/** `vigil serve --queue`'s URL check (docs/nats.md ("Running it")): nats:// or tls://, several separated by commas. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { shownUrl } from '../../queue/nats-queue.js';
import { parseQueueUrl } from './serve.js';

describe('parseQueueUrl', () => {
  it.each(['nats://127.0.0.1:4222', 'tls://nats.bank.example:4222', 'nats://a:4222,nats://b:4222', 'nats://user:secret@host:4222'])(
    'accepts %s as given',
    (url) => {
      expect(parseQueueUrl(url)).toBe(url);
    },
  );

  it.each([
    ['127.0.0.1:4222', 'expected a nats:// URL'],
    ['http://127.0.0.1:4222', 'expected a nats:// or tls:// URL, got http://127.0.0.1:4222'],
    ['nats://a:4222,redis://b', 'expected a nats:// or tls:// URL, got redis://b'],
    ['', 'expected a nats:// URL'],
  ])('refuses %j', (url, message) => {
    expect(() => parseQueueUrl(url)).toThrow(InvalidArgumentError);
    expect(() => parseQueueUrl(url)).toThrow(message);
  });
});

describe('shownUrl', () => {
  it.each([
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
    ['nats://vigil:secret@host:4222', 'nats://vigil:***@host:4222'],
    ['nats://s3cr3t-token@host:4222', 'nats://***@host:4222'],
    ['nats://a:4222,tls://u:p@b:4222', 'nats://a:4222,tls://u:***@b:4222'],
  ])('shows %s as %s', (url, shown) => {
    expect(shownUrl(url)).toBe(shown);
  });
});
