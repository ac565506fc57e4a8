// What the webhooks API accepts.
import * as z from 'zod';
import { SUBSCRIPTIONS } from './webhook-event-types';
import { webhookUrlProblem } from './webhook-url';

const urlSchema = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const eventTypesSchema = z
  .array(
    z.enum(SUBSCRIPTIONS, {
      error: `must be an event type (${SUBSCRIPTIONS.filter((s) => !s.endsWith('*')).join(', ')}), a family like "alert.*", or "*"`,
    }),
  )
  .min(1)
  .max(SUBSCRIPTIONS.length)
  .transform((types) => [...new Set(types)].sort());

export const webhookInputSchema = z.strictObject({
  url: urlSchema,
  event_types: eventTypesSchema,
  description: z.string().max(500).optional(),
  enabled: z.boolean().default(true),
});

export const webhookPatchSchema = z
  .strictObject({
    url: urlSchema.optional(),
    event_types: eventTypesSchema.optional(),
    description: z.string().max(500).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'send at least one field to change');

export type WebhookInput = z.output<typeof webhookInputSchema>;
export type WebhookPatch = z.output<typeof webhookPatchSchema>;
