/** The CorrectionStore capability: corrections added through the API, kept forever (docs/slo-maths.md ("Corrections")). */

/** A one-off correction as stored: those of vigil.yaml live in the configuration, not here. */
export interface StoredCorrection {
  /** Unique among stored corrections. */
  name: string;
  journeys: string[];
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive; after `from`. */
  to: number;
  reason: string | null;
  /** The token's name that added it, or null on an open server. */
  author: string | null;
  /** Epoch ms. */
  createdAt: number;
}

/** Persistence of the corrections added through `POST /api/v1/corrections`. */
export interface CorrectionStore {
  /** Stores a correction; false (nothing stored) when its name is taken. */
  addCorrection(correction: StoredCorrection): Promise<boolean>;
  /** Every stored correction, oldest first (then by name). */
  listCorrections(): Promise<StoredCorrection[]>;
}
