// What the webhooks API accepts.
import { z } from 'zod';
import { ALERT_TYPES } from '../../db/schema';
import { webhookUrlProblem } from './webhook-url';

/** Event types: one per alert type, and `alert.*` for all of them (including types added later). */
export const WEBHOOK_EVENT_TYPES = [...ALERT_TYPES.map((t) => `alert.${t}` as const), 'alert.*'] as const;

export const eventTypeOf = (alertType: string) => `alert.${alertType}`;

export const subscribes = (eventTypes: readonly string[], eventType: string) =>
  eventTypes.includes('alert.*') || eventTypes.includes(eventType);

const urlSchema = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
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
