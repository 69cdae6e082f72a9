/** The Microsoft Teams incoming-webhook notification: one Adaptive Card (schema 1.4) in a `message`. */
import type { Incident } from '../model/incident.js';
import { customersText, headlineOf, localTime, type PayloadContext, stageText, valueAtRiskText } from './context.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams refuses a message above 28 KB; a fact or text block is kept well inside it. */
const TEXT_MAX = 2000;

export type AdaptiveElement =
  | { type: 'TextBlock'; text: string; wrap: boolean; weight?: 'Bolder' | 'Default'; size?: 'Medium' | 'Large' | 'Default'; color?: string }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface TeamsPayload {
  type: 'message';
  attachments: {
    contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
    contentUrl: null;
    content: {
      $schema: string;
      type: 'AdaptiveCard';
      version: '1.4';
      body: AdaptiveElement[];
      actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
      msteams: { width: 'Full' };
    };
  }[];
}

const clip = (text: string): string => (text.length <= TEXT_MAX ? text : `${text.slice(0, TEXT_MAX - 1)}…`);

/** Red for an opened or escalated page and a tolerance breach, amber for a ticket and a tolerance warning, green once resolved. */
function colour(context: PayloadContext): string {
  if (context.change === 'resolved') return 'Good';
  if (context.change === 'acknowledged') return 'Accent';
  if (context.change === 'tolerance_warning') return 'Warning';
  if (context.change === 'tolerance_breached') return 'Attention';
  return context.routing === 'page' ? 'Attention' : 'Warning';
}

/**
 * The body POSTed to a `teams` target (an incoming-webhook or Workflows URL).
 * @example teamsPayload(incident, context).attachments[0].content.body[0].text // 'P1 incident opened: wire-transfer confirm …'
 */
export function teamsPayload(incident: Incident, context: PayloadContext): TeamsPayload {
  const facts = [
    { title: 'Priority', value: `${incident.priority} (${context.routing})` },
    { title: 'Status', value: incident.status },
    { title: 'Journeys', value: incident.journeys.join(', ') || '—' },
    { title: 'Stages', value: incident.stages.map(stageText).join(', ') || '—' },
    { title: 'Customers affected', value: customersText(incident) ?? 'not assessed' },
    { title: 'Value at risk', value: valueAtRiskText(incident) ?? 'not assessed' },
    { title: 'Alerts', value: String(incident.alertKeys.length) },
    { title: 'Services', value: incident.services.join(', ') || '—' },
    { title: 'Opened', value: localTime(incident.openedAt, context.timezone) },
    { title: 'Incident', value: incident.id },
    ...(context.dora !== undefined ? [{ title: 'DORA', value: context.dora }] : []),
  ].map((fact) => ({ title: fact.title, value: clip(fact.value) }));
  const absolute = /^https?:\/\//.test(context.incidentUrl);
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: clip(headlineOf(incident, context)),
              wrap: true,
              weight: 'Bolder',
              size: 'Medium',
              color: colour(context),
            },
            { type: 'TextBlock', text: clip(incident.title), wrap: true },
            { type: 'FactSet', facts },
          ],
          ...(absolute && { actions: [{ type: 'Action.OpenUrl' as const, title: 'Open in Vigil', url: context.incidentUrl }] }),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
