// What PUT /v1/organization/storage accepts. D1 is shared by every organisation, so no one keeps
// raw events there longer than the default; the archive and the roll-ups are theirs to choose.
import * as z from 'zod';
import { DEFAULT_RAW_RECENT_DAYS } from '../db/schema';
import { timestampOrNull } from '../http/response-schemas';
import { DEFAULT_STORAGE_SETTINGS, type StorageSettings } from './storage-settings-store';

export const MAX_ARCHIVE_DAYS = 3650;
export const MIN_ROLLUP_DAYS = 35;
export const MAX_ROLLUP_DAYS = 3650;

const days = (field: string, min: number, max: number, why = '') =>
  z
    .number({ error: `${field} must be a whole number of days` })
    .int(`${field} must be a whole number of days`)
    .min(min, `${field} must be at least ${min}${why}`)
    .max(max, `${field} must be at most ${max}${why}`);

/** A replacement of the settings: an omitted field takes its default. */
export const storageSettingsInputSchema = z
  .strictObject({
    raw_recent_days: days(
      'raw_recent_days',
      1,
      DEFAULT_RAW_RECENT_DAYS,
      ' (D1 keeps raw events for quick exports; older ones stay in the R2 archive)',
    ).optional(),
    raw_archive_days: days(
      'raw_archive_days',
      1,
      MAX_ARCHIVE_DAYS,
      ' (or null: keep until the account closes)',
    )
      .nullable()
      .optional(),
    rollup_days: days('rollup_days', MIN_ROLLUP_DAYS, MAX_ROLLUP_DAYS).optional(),
  })
  .transform(
    (input): StorageSettings => ({
      rawRecentDays: input.raw_recent_days ?? DEFAULT_STORAGE_SETTINGS.rawRecentDays,
      rawArchiveDays:
        input.raw_archive_days === undefined
          ? DEFAULT_STORAGE_SETTINGS.rawArchiveDays
          : input.raw_archive_days,
      rollupDays: input.rollup_days ?? DEFAULT_STORAGE_SETTINGS.rollupDays,
    }),
  )
  .refine((s) => s.rawArchiveDays === null || s.rawArchiveDays >= s.rawRecentDays, {
    path: ['raw_archive_days'],
    message: 'raw_archive_days must be at least raw_recent_days: the archive keeps every event D1 still has',
  });

const retentionDays = z.object({
  raw_recent_days: z.number().int().meta({ description: 'Raw scan events kept in D1' }),
  raw_archive_days: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'Raw events in R2; null: until the account closes' }),
  rollup_days: z.number().int().meta({ description: 'Roll-ups in D1' }),
});

export const storageSettingsView = retentionDays
  .extend({ updated_at: timestampOrNull, defaults: retentionDays })
  .meta({ id: 'StorageSettings' });

export function presentStorageSettings(settings: StorageSettings, updatedAt: number | null) {
  return {
    raw_recent_days: settings.rawRecentDays,
    raw_archive_days: settings.rawArchiveDays,
    rollup_days: settings.rollupDays,
    updated_at: updatedAt === null ? null : new Date(updatedAt).toISOString(),
    defaults: {
      raw_recent_days: DEFAULT_STORAGE_SETTINGS.rawRecentDays,
      raw_archive_days: DEFAULT_STORAGE_SETTINGS.rawArchiveDays,
      rollup_days: DEFAULT_STORAGE_SETTINGS.rollupDays,
    },
  };
}
