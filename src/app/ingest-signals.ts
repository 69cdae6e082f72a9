/** The signal ingest use case (docs/signals.md ("Posting signals")): body → validated, mapped signals → the store. */
import type { SignalsIngestResponse } from '../api/signals.js';
import { readBodyItems } from '../ingest/read-events.js';
import { createSignalValidator, type SignalValidator } from '../ingest/validate-signal.js';
import type { VigilConfig } from '../model/config.js';
import type { Signal } from '../model/signal.js';
import type { SignalStore } from '../store/signals/signal-store.js';

/** What a signal ingest answers; `status` is the HTTP status (200 when at least one signal was valid, else 400). */
export interface SignalIngestResult extends SignalsIngestResponse {
  status: 200 | 400;
}

/**
 * Turns signal bodies (one object, an array or NDJSON, read as event bodies are) into stored signals.
 * Valid signals are stored in one batch even when others are rejected; a stored id is a duplicate.
 * @example const { status, ...body } = await new SignalIngestor(() => config, store.signals, Date.now).ingest(raw, type);
 */
export class SignalIngestor {
  private validator: { config: VigilConfig; validate: SignalValidator } | undefined;

  constructor(
    private readonly config: () => VigilConfig,
    private readonly store: Pick<SignalStore, 'saveSignals'>,
    private readonly clock: () => number,
  ) {}

  /** The validator of the configuration in force, rebuilt after a reload. */
  private validate(): SignalValidator {
    const config = this.config();
    if (this.validator?.config !== config) this.validator = { config, validate: createSignalValidator(config) };
    return this.validator.validate;
  }

  async ingest(body: string, contentType: string | undefined): Promise<SignalIngestResult> {
    const receivedAt = this.clock();
    const validate = this.validate();
    const signals: Signal[] = [];
    const { rejected, rejectedCount } = await readBodyItems(body, contentType, (value, index) => {
      const result = validate(value, index, receivedAt);
      if (!result.ok) return result.rejection;
      signals.push(result.signal);
      return null;
    });
    if (signals.length === 0) return { status: 400, accepted: 0, duplicates: 0, unmatched: 0, rejected, rejectedCount };
    const inserted = await this.store.saveSignals(signals);
    let accepted = 0;
    let unmatched = 0;
    inserted.forEach((fresh, i) => {
      if (!fresh) return;
      accepted++;
      if (signals[i]!.journey === null) unmatched++;
    });
    return { status: 200, accepted, duplicates: signals.length - accepted, unmatched, rejected, rejectedCount };
  }
}
