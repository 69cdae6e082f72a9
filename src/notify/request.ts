/** The HTTP request for one outbox message: where it goes, its headers and body, secrets added only here. */
import type { NotificationTarget } from '../model/config.js';
import type { OutboxMessage } from '../model/notification.js';
import type { OpsgenieEnvelope } from './opsgenie.js';

export interface NotificationRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The request the outbox worker sends. Most targets take the stored payload as the body at their URL;
 * an Opsgenie payload is an envelope whose path is appended to the API URL, with the key in the
 * `Authorization` header, so no key is stored in the outbox or written to a log.
 * @example requestFor(target, message).headers['x-vigil-dedup-key'] // 'inc-2f6c1a9e'
 */
export function requestFor(target: NotificationTarget, message: OutboxMessage): NotificationRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'vigil',
    'x-vigil-dedup-key': message.dedupKey,
    'x-vigil-message-id': message.id,
  };
  if (target.type !== 'opsgenie') return { url: target.url, headers, body: message.payload };
  const envelope = JSON.parse(message.payload) as Partial<OpsgenieEnvelope>;
  // A message queued before a reload changed this target's type is not an Opsgenie request: say so, never guess.
  if (typeof envelope.path !== 'string' || !envelope.path.startsWith('/v2/alerts')) {
    throw new Error(`message ${message.id} was written for another type of target than opsgenie '${target.name}'`);
  }
  return {
    url: `${target.url}${envelope.path}`,
    headers: { ...headers, authorization: `GenieKey ${target.apiKey ?? ''}` },
    body: JSON.stringify(envelope.body),
  };
}
