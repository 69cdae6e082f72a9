/**
 * The public page's use cases (docs/public-page.md): the summary anyone may read, kept for CACHE_MS so a crowd of readers
 * costs one computation each quarter minute, and an operator's public text for an incident.
 */
import { toInstant } from '../api/common.js';
import type { PublicSummary, PublicTextResponse } from '../api/public.js';
import { VigilError } from '../errors/catalogue.js';
import { isStorableText } from '../ingest/storable-text.js';
import { publicSummary } from './read-models/public-summary.js';
import type { IncidentService } from './incident-service.js';
import type { VigilRuntime } from './runtime.js';

/** How long a computed summary (and the page drawn from it) is served before it is computed again. */
export const CACHE_MS = 15_000;
/** Longest public text, in characters (UTF-16 code units) after trimming. */
export const MAX_PUBLIC_TEXT = 2_000;

/**
 * Check a public text: a non-empty string of at most MAX_PUBLIC_TEXT characters once trimmed, storable on every backend.
 * @example checkPublicText('  Card payments were failing for some customers.  ') // 'Card payments were failing for some customers.'
 */
export function checkPublicText(value: unknown): string {
  if (typeof value !== 'string')
    throw new VigilError('invalid_public_text', `text: expected a string, got ${JSON.stringify(value) ?? 'nothing'}`);
  const text = value.trim();
  if (text === '') throw new VigilError('invalid_public_text', 'text: expected the words customers should read, got an empty string');
  if (text.length > MAX_PUBLIC_TEXT)
    throw new VigilError('invalid_public_text', `text: at most ${MAX_PUBLIC_TEXT} characters, got ${text.length}`);
  if (!isStorableText(text)) throw new VigilError('invalid_public_text', 'text: holds a NUL character or an unpaired surrogate');
  return text;
}

/**
 * The text of a PUT public-text body: an object with `text` (and an optional `by`, read by the route), nothing else.
 * @example publicTextOf({ text: 'Card payments were failing.' }) // 'Card payments were failing.'
 */
export function publicTextOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new VigilError('invalid_public_text', 'body: expected an object such as { "text": "Card payments were failing." }');
  const unknown = Object.keys(body).filter((key) => key !== 'text' && key !== 'by');
  if (unknown.length > 0) throw new VigilError('invalid_public_text', `body: unknown field ${JSON.stringify(unknown[0])}`);
  return checkPublicText((body as Record<string, unknown>)['text']);
}

export class PublicPage {
  private cached: { at: number; summary: Promise<PublicSummary> } | null = null;
  private readonly runtime: Pick<VigilRuntime, 'registry' | 'store' | 'clock'>;
  private readonly incidents: Pick<IncidentService, 'setPublicText'> | undefined;

  /** `incidents`, when the server runs alerting, writes the text in turn with the incident's other changes. */
  constructor(runtime: Pick<VigilRuntime, 'registry' | 'store' | 'clock'>, incidents?: Pick<IncidentService, 'setPublicText'>) {
    this.runtime = runtime;
    this.incidents = incidents;
  }

  /** The summary, computed at most once per CACHE_MS (a failed computation is not kept). */
  summary(): Promise<PublicSummary> {
    const now = this.runtime.clock();
    if (this.cached && now >= this.cached.at && now - this.cached.at < CACHE_MS) return this.cached.summary;
    const summary = publicSummary(this.runtime.registry, this.runtime.store.alerting, now);
    const entry = { at: now, summary };
    this.cached = entry;
    summary.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return summary;
  }

  /**
   * Set an incident's public text; the next summary shows it. With `expectedVersion` (If-Match), only if the incident is at
   * that version (docs/scale-out.md ("Incident versions")). Throws invalid_public_text, incident_not_found, incident_conflict.
   */
  async setPublicText(incidentId: string, body: unknown, by: string | null, expectedVersion?: number): Promise<PublicTextResponse> {
    const text = publicTextOf(body);
    const setAt = this.runtime.clock();
    const publicText = { text, setBy: by, setAt };
    const version = this.incidents?.setPublicText
      ? await this.incidents.setPublicText(incidentId, publicText, expectedVersion)
      : await this.runtime.store.alerting.setPublicText(incidentId, publicText, expectedVersion);
    this.cached = null;
    return { incidentId, text, setBy: by, setAt: toInstant(setAt), version };
  }
}
