/**
 * One local HTTP receiver (node:http on loopback) that answers as Slack, Microsoft Teams, PagerDuty,
 * Opsgenie and a generic webhook do, and refuses with 400 a request whose shape the real service would
 * refuse. The checks are written from each service's public API documentation:
 * - Slack: "Sending messages using incoming webhooks" and the Block Kit reference (header plain_text ≤150,
 *   section text ≤3000, ≤10 fields of ≤2000, ≤50 blocks, `text` as the notification fallback);
 * - Teams: "Create incoming webhooks" / "Send Adaptive Cards using an incoming webhook" (a `message` whose
 *   attachments are `application/vnd.microsoft.card.adaptive` cards; the payload under 28 KB);
 * - PagerDuty: Events API v2 "Send an Alert Event" (routing_key of 32 characters, event_action, dedup_key ≤255,
 *   payload.summary ≤1024, source, severity in critical|error|warning|info, timestamp ISO 8601);
 * - Opsgenie: Alert API v2 "Create alert", "Close alert", "Acknowledge alert" (GenieKey authorization,
 *   message 1–130, alias ≤512, description ≤15000, priority P1–P5, ≤20 tags of ≤50, details ≤8000 in all,
 *   source ≤100, entity ≤512; identifierType id|alias|tiny; user ≤100, source ≤100, note ≤25000).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  service: 'slack' | 'teams' | 'pagerduty' | 'opsgenie' | 'webhook';
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Why the real service would refuse it; empty when accepted. */
  problems: string[];
}

export interface NotificationReceivers {
  /** http://127.0.0.1:port */
  base: string;
  urls: { slack: string; teams: string; pagerduty: string; opsgenie: string; webhook: string };
  received: ReceivedRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** Collects problems: `need(condition, message)`. */
function collector(): { problems: string[]; need(ok: boolean, message: string): void } {
  const problems: string[] = [];
  return { problems, need: (ok, message) => ok || void problems.push(message) };
}

function onlyKeys(body: Json, allowed: readonly string[], where: string, need: (ok: boolean, m: string) => void): void {
  for (const key of Object.keys(body)) need(allowed.includes(key), `${where}: unknown field '${key}'`);
}

function textObject(v: unknown, max: number, where: string, need: (ok: boolean, m: string) => void, plainOnly = false): void {
  if (!isObject(v)) {
    need(false, `${where}: a text object is required`);
    return;
  }
  need(v['type'] === 'plain_text' || (!plainOnly && v['type'] === 'mrkdwn'), `${where}.type: plain_text${plainOnly ? '' : ' or mrkdwn'}`);
  need(isString(v['text']) && v['text'].length >= 1 && v['text'].length <= max, `${where}.text: 1 to ${max} characters`);
}

/** Slack incoming webhook: `text`, and Block Kit `blocks` within their limits. */
export function checkSlack(body: unknown): string[] {
  const { problems, need } = collector();
  if (!isObject(body)) return ['the body must be a JSON object'];
  need(isString(body['text']) && body['text'].length > 0, 'text: required as the notification fallback when blocks are sent');
  const blocks = body['blocks'];
  if (blocks === undefined) return problems;
  if (!Array.isArray(blocks)) return [...problems, 'blocks: an array'];
  need(blocks.length <= 50, 'blocks: at most 50');
  blocks.forEach((block: unknown, i) => {
    const where = `blocks[${i}]`;
    if (!isObject(block)) {
      need(false, `${where}: an object`);
      return;
    }
    switch (block['type']) {
      case 'header':
        textObject(block['text'], 150, `${where}.text`, need, true);
        return;
      case 'section': {
        need(block['text'] !== undefined || block['fields'] !== undefined, `${where}: text or fields`);
        if (block['text'] !== undefined) textObject(block['text'], 3000, `${where}.text`, need);
        const fields = block['fields'];
        if (fields !== undefined) {
          need(Array.isArray(fields) && fields.length <= 10, `${where}.fields: at most 10`);
          if (Array.isArray(fields))
            fields.forEach((f: unknown, j) => {
              textObject(f, 2000, `${where}.fields[${j}]`, need);
            });
        }
        return;
      }
      case 'context': {
        const elements = block['elements'];
        need(Array.isArray(elements) && elements.length >= 1 && elements.length <= 10, `${where}.elements: 1 to 10`);
        if (Array.isArray(elements))
          elements.forEach((e: unknown, j) => {
            textObject(e, 3000, `${where}.elements[${j}]`, need);
          });
        return;
      }
      default:
        need(false, `${where}.type: unsupported block type ${String(block['type'])}`);
    }
  });
  return problems;
}

/** Teams incoming webhook with an Adaptive Card. */
export function checkTeams(body: unknown, size: number): string[] {
  const { problems, need } = collector();
  need(size <= 28 * 1024, 'the message must be under 28 KB');
  if (!isObject(body)) return ['the body must be a JSON object'];
  need(body['type'] === 'message', "type: 'message'");
  const attachments = body['attachments'];
  if (!Array.isArray(attachments) || attachments.length === 0) return [...problems, 'attachments: a non-empty array'];
  attachments.forEach((attachment: unknown, i) => {
    const where = `attachments[${i}]`;
    if (!isObject(attachment)) {
      need(false, `${where}: an object`);
      return;
    }
    need(attachment['contentType'] === 'application/vnd.microsoft.card.adaptive', `${where}.contentType: the Adaptive Card type`);
    const card = attachment['content'];
    if (!isObject(card)) {
      need(false, `${where}.content: the card`);
      return;
    }
    need(card['type'] === 'AdaptiveCard', `${where}.content.type: 'AdaptiveCard'`);
    need(
      isString(card['version']) && /^1\.[0-5]$/.test(card['version']),
      `${where}.content.version: a string 1.0 to 1.5 (Teams supports up to 1.5)`,
    );
    const elements = card['body'];
    if (!Array.isArray(elements) || elements.length === 0) {
      need(false, `${where}.content.body: a non-empty array`);
      return;
    }
    elements.forEach((element: unknown, j) => {
      const at = `${where}.content.body[${j}]`;
      if (!isObject(element)) {
        need(false, `${at}: an object`);
        return;
      }
      if (element['type'] === 'TextBlock') {
        need(isString(element['text']) && element['text'].length > 0, `${at}.text: required`);
        return;
      }
      if (element['type'] === 'FactSet') {
        const facts = element['facts'];
        need(Array.isArray(facts) && facts.length > 0, `${at}.facts: a non-empty array`);
        if (Array.isArray(facts))
          facts.forEach((fact: unknown, k) => {
            need(isObject(fact) && isString(fact['title']) && isString(fact['value']), `${at}.facts[${k}]: title and value strings`);
          });
        return;
      }
      need(false, `${at}.type: an element this check knows (TextBlock, FactSet), got ${String(element['type'])}`);
    });
    const actions = card['actions'];
    if (actions !== undefined) {
      need(Array.isArray(actions), `${where}.content.actions: an array`);
      if (Array.isArray(actions))
        actions.forEach((action: unknown, j) => {
          need(
            isObject(action) && action['type'] === 'Action.OpenUrl' && isString(action['url']) && /^https?:\/\//.test(action['url']),
            `${where}.content.actions[${j}]: Action.OpenUrl with an absolute url`,
          );
        });
    }
  });
  return problems;
}

/** PagerDuty Events API v2 (`POST /v2/enqueue`). */
export function checkPagerDuty(body: unknown): string[] {
  const { problems, need } = collector();
  if (!isObject(body)) return ['the body must be a JSON object'];
  need(isString(body['routing_key']) && body['routing_key'].length === 32, 'routing_key: the 32-character integration key');
  const action = body['event_action'];
  need(action === 'trigger' || action === 'acknowledge' || action === 'resolve', 'event_action: trigger, acknowledge or resolve');
  const dedup = body['dedup_key'];
  need(dedup === undefined || (isString(dedup) && dedup.length <= 255), 'dedup_key: at most 255 characters');
  if (action !== 'trigger') {
    need(isString(dedup), `dedup_key: required to ${String(action)}`);
    return problems;
  }
  const payload = body['payload'];
  if (!isObject(payload)) return [...problems, 'payload: required to trigger'];
  need(
    isString(payload['summary']) && payload['summary'].length >= 1 && payload['summary'].length <= 1024,
    'payload.summary: 1 to 1024 characters',
  );
  need(isString(payload['source']) && payload['source'].length > 0, 'payload.source: required');
  need(
    ['critical', 'error', 'warning', 'info'].includes(payload['severity'] as string),
    'payload.severity: critical, error, warning or info',
  );
  need(
    payload['timestamp'] === undefined || (isString(payload['timestamp']) && !Number.isNaN(Date.parse(payload['timestamp']))),
    'payload.timestamp: ISO 8601',
  );
  need(payload['custom_details'] === undefined || isObject(payload['custom_details']), 'payload.custom_details: an object');
  const links = body['links'];
  need(
    links === undefined || (Array.isArray(links) && links.every((l: unknown) => isObject(l) && isString(l['href']))),
    'links: objects with href',
  );
  return problems;
}

const OPSGENIE_CREATE_FIELDS = [
  'message',
  'alias',
  'description',
  'responders',
  'visibleTo',
  'actions',
  'tags',
  'details',
  'entity',
  'source',
  'priority',
  'user',
  'note',
];

/** Opsgenie Alert API v2: create, close, acknowledge and add a note, by path. */
export function checkOpsgenie(method: string, path: string, authorization: string | undefined, body: unknown): string[] {
  const { problems, need } = collector();
  need(method === 'POST', 'method: POST');
  need(authorization !== undefined && /^GenieKey \S+$/.test(authorization), 'Authorization: GenieKey <api key>');
  const url = new URL(path, 'http://opsgenie');
  if (!isObject(body)) return [...problems, 'the body must be a JSON object'];
  const bounded = (key: string, max: number, required = false) => {
    const v = body[key];
    if (v === undefined) {
      need(!required, `${key}: required`);
      return;
    }
    need(isString(v) && v.length <= max && (!required || v.length >= 1), `${key}: a string of at most ${max} characters`);
  };
  if (url.pathname === '/v2/alerts') {
    onlyKeys(body, OPSGENIE_CREATE_FIELDS, 'create alert', need);
    bounded('message', 130, true);
    bounded('alias', 512);
    bounded('description', 15_000);
    bounded('entity', 512);
    bounded('source', 100);
    bounded('user', 100);
    bounded('note', 25_000);
    const priority = body['priority'];
    need(priority === undefined || ['P1', 'P2', 'P3', 'P4', 'P5'].includes(priority as string), 'priority: P1 to P5');
    const tags = body['tags'];
    need(
      tags === undefined || (Array.isArray(tags) && tags.length <= 20 && tags.every((t: unknown) => isString(t) && t.length <= 50)),
      'tags: at most 20 strings of at most 50 characters',
    );
    const details = body['details'];
    if (details !== undefined) {
      need(isObject(details) && Object.values(details).every(isString), 'details: a map of strings');
      if (isObject(details)) {
        const total = Object.entries(details).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
        need(total <= 8000, `details: at most 8000 characters in all, got ${total}`);
      }
    }
    return problems;
  }
  const action = /^\/v2\/alerts\/([^/]+)\/(close|acknowledge|notes)$/.exec(url.pathname);
  if (!action) return [...problems, `path: ${url.pathname} is not an alert endpoint`];
  need(['id', 'alias', 'tiny'].includes(url.searchParams.get('identifierType') ?? 'id'), 'identifierType: id, alias or tiny');
  need(decodeURIComponent(action[1]!).length <= 512, 'identifier: at most 512 characters');
  onlyKeys(body, ['user', 'source', 'note'], action[2]!, need);
  // Adding a note needs the note.
  if (action[2] === 'notes') need(isObject(body) && isString(body['note']) && body['note'].length > 0, 'note: required to add a note');
  bounded('user', 100);
  bounded('source', 100);
  bounded('note', 25_000);
  return problems;
}

/** Vigil's own webhook (docs/alerting.md ("Generic webhook")), version 2. */
export function checkWebhook(body: unknown): string[] {
  const { problems, need } = collector();
  if (!isObject(body)) return ['the body must be a JSON object'];
  need(body['version'] === 2, 'version: 2');
  need(
    isString(body['event']) &&
      /^incident\.(opened|escalated|acknowledged|resolved|tolerance_warning|tolerance_breached)$/.test(body['event']),
    'event: incident.<change>',
  );
  need(isString(body['dedupKey']), 'dedupKey: required');
  need(isObject(body['incident']) && isString(body['incident']['id']), 'incident.id: required');
  return problems;
}

/**
 * Start the receiver. Paths: /slack/…, /teams/…, /pagerduty/v2/enqueue, /opsgenie (the API base), /webhook.
 * @example const receivers = await startNotificationReceivers(); // receivers.urls.opsgenie === 'http://127.0.0.1:PORT/opsgenie'
 */
export async function startNotificationReceivers(): Promise<NotificationReceivers> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = request.url ?? '/';
      const service = (path.split('/')[1] ?? '') as ReceivedRequest['service'];
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      const contentType = request.headers['content-type'] ?? '';
      const problems = contentType.startsWith('application/json') ? [] : ['Content-Type: application/json'];
      const rest = path.slice(service.length + 1);
      switch (service) {
        case 'slack':
          problems.push(...checkSlack(body));
          break;
        case 'teams':
          problems.push(...checkTeams(body, raw.length));
          break;
        case 'pagerduty':
          if (!rest.startsWith('/v2/enqueue')) problems.push('path: /v2/enqueue');
          problems.push(...checkPagerDuty(body));
          break;
        case 'opsgenie':
          problems.push(...checkOpsgenie(request.method ?? '', rest, request.headers.authorization, body));
          break;
        case 'webhook':
          problems.push(...checkWebhook(body));
          break;
        default:
          problems.push(`no service at ${path}`);
      }
      received.push({ service, method: request.method ?? '', path: rest, headers: request.headers, body, problems });
      if (problems.length > 0) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: problems.join('; ') }));
        return;
      }
      // Each service's success answer.
      if (service === 'slack') response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else if (service === 'pagerduty')
        response
          .writeHead(202, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'success', message: 'Event processed' }));
      else if (service === 'opsgenie')
        response
          .writeHead(202, { 'content-type': 'application/json' })
          .end(JSON.stringify({ result: 'Request will be processed', took: 0.01, requestId: 'r-1' }));
      else response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    urls: {
      slack: `${base}/slack/services/T000/B000/XXXX`,
      teams: `${base}/teams/webhookb2/abc`,
      pagerduty: `${base}/pagerduty/v2/enqueue`,
      opsgenie: `${base}/opsgenie`,
      webhook: `${base}/webhook`,
    },
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
