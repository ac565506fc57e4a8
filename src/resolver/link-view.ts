// A stored link as the API shows it: in an entity (links routes) and in a scan preview.
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
