/** The Slack incoming-webhook notification: a readable `text` line plus Block Kit blocks. */
import type { Incident } from '../model/incident.js';
import { customersText, headlineOf, localTime, type PayloadContext, stageText, valueAtRiskText } from './context.js';

/** Slack's limits: header text 150 characters, a section text 3,000, a field 2,000, at most 10 fields. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack mrkdwn needs only &, < and > escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function emoji(context: PayloadContext): string {
  switch (context.change) {
    case 'opened':
      return context.routing === 'page' ? ':rotating_light:' : ':warning:';
    case 'escalated':
      return ':arrow_double_up:';
    case 'acknowledged':
      return ':eyes:';
    case 'resolved':
      return ':white_check_mark:';
    case 'tolerance_warning':
      return ':hourglass_flowing_sand:';
    case 'tolerance_breached':
      return ':no_entry:';
    case 'classified':
      return ':classical_building:';
  }
}

/** The section's lead: "*Opened*: <reason>", or "*Impact tolerance breached*: <its words>". */
function lead(incident: Incident, context: PayloadContext): string {
  if (context.change === 'tolerance_warning' || context.change === 'tolerance_breached') {
    const what = context.change === 'tolerance_warning' ? 'Impact tolerance warning' : 'Impact tolerance breached';
    return `*${what}*: ${escapeMrkdwn(context.note ?? incident.title)}`;
  }
  return `*${context.change[0]!.toUpperCase()}${context.change.slice(1)}*: ${escapeMrkdwn(incident.reason || incident.title)}`;
}

const field = (label: string, value: string): TextObject => ({
  type: 'mrkdwn',
  text: clip(`*${label}*\n${escapeMrkdwn(value)}`, FIELD_MAX),
});

/**
 * The body POSTed to a `slack` target (an incoming-webhook URL).
 * @example slackPayload(incident, context).text // ':rotating_light: P1 incident opened: wire-transfer confirm step failing …'
 */
export function slackPayload(incident: Incident, context: PayloadContext): SlackPayload {
  const line = headlineOf(incident, context);
  const fields = [
    field('Priority', `${incident.priority} (${context.routing})`),
    field('Status', incident.status),
    field('Journeys', incident.journeys.join(', ') || '—'),
    field('Stages', incident.stages.map(stageText).join(', ') || '—'),
    field('Customers affected', customersText(incident) ?? 'not assessed'),
    field('Value at risk', valueAtRiskText(incident) ?? 'not assessed'),
    field('Alerts', String(incident.alertCount)),
    field('Services', incident.services.join(', ') || '—'),
    ...(context.dora !== undefined ? [field('DORA', context.dora)] : []),
  ];
  const absolute = /^https?:\/\//.test(context.incidentUrl);
  const footer = [`Vigil incident \`${escapeMrkdwn(incident.id)}\``, `opened ${localTime(incident.openedAt, context.timezone)}`];
  if (absolute) footer.push(`<${context.incidentUrl}|Open in Vigil>`);
  return {
    text: `${emoji(context)} ${escapeMrkdwn(line)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`${incident.priority} · ${incident.title}`, HEADER_MAX), emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(`${emoji(context)} ${lead(incident, context)}`, SECTION_MAX),
        },
      },
      { type: 'section', fields },
      { type: 'context', elements: [{ type: 'mrkdwn', text: footer.join(' · ') }] },
    ],
  };
}
