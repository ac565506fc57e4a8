// A stored link as the API shows it (links routes, scan preview), and the linkset the resolver serves.
import * as z from 'zod';

export const linkView = z.object({
  id: z.string(),
  link_type: z.string(),
  href: z.string(),
  title: z.string(),
  hreflang: z.array(z.string()),
  context: z.array(z.string()),
  media_type: z.string().nullable(),
  default: z.boolean(),
  forward_query: z.boolean(),
});

/** A linkset (RFC 9264) as GS1 Digital Link writes it: link relation URIs → links, per anchor. */
export const linksetView = z
  .object({ linkset: z.array(z.looseObject({ anchor: z.string() })) })
  .meta({ id: 'Linkset' });
