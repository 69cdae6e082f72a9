/** Money on the wire: an amount with its currency (docs/alerting.md ("Money and currencies")). */
import { z } from 'zod';

export const Money = z.strictObject({
  /** Major units, a whole number of minor units. */
  amount: z.number(),
  /** ISO 4217 code: three uppercase letters. */
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof Money>;
