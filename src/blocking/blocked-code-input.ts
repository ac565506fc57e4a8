// What POST /v1/blocked-codes accepts: a Digital Link URI naming a GTIN, one lot of it or one
// serial, parsed by our own parser (src/digital-link/), and a reason for the brand's own records.
import * as z from 'zod';
import { parseDigitalLink } from '../digital-link';

/** A block's code: the whole GTIN, one lot ('' when not), one serial ('' when not). */
export interface BlockedCodeTarget {
  gtin: string;
  lot: string;
  serial: string;
}

// As the resolver reads scans: a GTIN-13/12/8 in the path is the same GTIN-14.
const PARSE_OPTIONS = { permitZeroSuppressedGTIN: true };

/** The code a Digital Link names, or why it cannot be blocked. */
export function blockedCodeTarget(
  uri: string,
): { ok: true; target: BlockedCodeTarget } | { ok: false; message: string } {
  const parsed = parseDigitalLink(uri, PARSE_OPTIONS);
  if (!parsed.ok)
    return { ok: false, message: `is not a valid GS1 Digital Link URI: ${parsed.error.message}` };
  const { primaryKey, qualifiers, attributes } = parsed.link;
  if (primaryKey.ai !== '01')
    return { ok: false, message: `names an (${primaryKey.ai}) key; only GTINs (01) can be blocked` };
  const other = qualifiers.find((q) => q.ai !== '10' && q.ai !== '21');
  if (other)
    return {
      ok: false,
      message: `has a (${other.ai}) qualifier; a block is of a GTIN, a lot (10) or a serial (21)`,
    };
  if (attributes.length > 0)
    return { ok: false, message: 'has data attributes in its query; name the code by its path alone' };
  const lot = qualifiers.find((q) => q.ai === '10')?.value ?? '';
  const serial = qualifiers.find((q) => q.ai === '21')?.value ?? '';
  // A serial identifies the item in every lot (code-blocks.ts): its lot is not part of the block.
  return { ok: true, target: { gtin: primaryKey.value, lot: serial === '' ? lot : '', serial } };
}

export const blockedCodeInputSchema = z.strictObject({
  digital_link: z
    .string()
    .min(1)
    .max(2048)
    .transform((uri, ctx) => {
      const outcome = blockedCodeTarget(uri);
      if (outcome.ok) return outcome.target;
      ctx.addIssue({ code: 'custom', message: outcome.message });
      return z.NEVER;
    })
    .meta({
      description:
        'e.g. https://id.example/01/09506000134352/21/ABC123 (a GTIN, a lot (10) or a serial (21))',
    }),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .meta({ description: 'Why, for the brand (never shown to consumers)' }),
});

export type BlockedCodeInput = z.output<typeof blockedCodeInputSchema>;
