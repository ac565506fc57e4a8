// Detector thresholds per organisation (PUT /v1/alerts/settings). An organisation stores only what
// it sets; every omitted value is the default below, so a better default reaches everyone who
// did not choose otherwise. Why each default is what it is: README "Alerts and webhooks".
import * as z from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from '../db/schema/alerts';

export const DEFAULT_ALERT_SETTINGS = {
  serial_overscanned: {
    enabled: true,
    /** Distinct scanners of one serial in the window. Scanner hashes rotate daily: one phone scanning on three days counts three times. */
    max_scanners: 10,
    /** Distinct places (0.1° cells, ~11 km; city when the edge gave no coordinates). */
    max_places: 5,
    window_days: 30,
    /**
     * A scanner's repeat scans of the serial within this many minutes of its first are one scan
     * (a retry, a phone moving between Wi-Fi and mobile data): they add no place. 0: every scan counts.
     */
    scanner_session_minutes: 30,
  },
  impossible_travel: {
    enabled: true,
    max_speed_kmh: 1000,
    /** Pairs closer than this are ignored: edge geolocation of one place can be tens of km off. */
    min_distance_km: 50,
  },
  unauthorised_market: { enabled: true },
  serial_not_issued: { enabled: true },
  volume_spike: {
    enabled: true,
    /** EWMA weight of the newest hour: 0.1 remembers roughly the last day (weights halve every ~6.6 hours). */
    alpha: 0.1,
    /** Standard deviations above the baseline mean that make an hour a spike. */
    z: 4,
    /** An hour needs at least this many scans to count as a spike at all. */
    min_scans: 50,
    /** Hours of history before the baseline is trusted (a launch is not a spike). */
    warmup_hours: 24,
  },
  recalled_lot: {
    enabled: true,
    /**
     * Low by default: a recalled-lot scan is awareness (someone holds recalled stock), not a
     * counterfeit signal; a brand in a safety recall may want it high.
     */
    severity: 'low' as AlertSeverity,
  },
  expired_product: {
    enabled: true,
    /** Days past the date before a scan counts: 0 fires from the day after the date. */
    grace_days: 0,
  },
  blocked_code_scanned: { enabled: true },
  unexpected_location: {
    /** Off by default: it means something only with the brand's store inventory kept current. */
    enabled: false,
    /** Farther than this from every store stocking the GTIN (and in a country where it is not sold). */
    km: 200,
  },
  /**
   * Block a serial (src/blocking/) when an impossible_travel or serial_overscanned alert opens
   * for it. Off by default: a block sends genuine owners of the code to a warning page too.
   */
  auto_block: false,
} as const;

const enabled = z.boolean();
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** What PUT accepts: any subset; omitted values fall back to the defaults. */
export const alertSettingsInputSchema = z.strictObject({
  serial_overscanned: z
    .strictObject({
      enabled: enabled.optional(),
      max_scanners: int(1, 100_000).optional(),
      max_places: int(1, 10_000).optional(),
      window_days: int(1, 90).optional(),
      scanner_session_minutes: int(0, 24 * 60).optional(),
    })
    .optional(),
  impossible_travel: z
    .strictObject({
      enabled: enabled.optional(),
      max_speed_kmh: z.number().min(50).max(20_000).optional(),
      min_distance_km: z.number().min(0).max(2_000).optional(),
    })
    .optional(),
  unauthorised_market: z.strictObject({ enabled: enabled.optional() }).optional(),
  serial_not_issued: z.strictObject({ enabled: enabled.optional() }).optional(),
  volume_spike: z
    .strictObject({
      enabled: enabled.optional(),
      alpha: z.number().min(0.01).max(0.9).optional(),
      z: z.number().min(1).max(20).optional(),
      min_scans: int(1, 10_000_000).optional(),
      warmup_hours: int(0, 24 * 30).optional(),
    })
    .optional(),
  recalled_lot: z
    .strictObject({ enabled: enabled.optional(), severity: z.enum(ALERT_SEVERITIES).optional() })
    .optional(),
  expired_product: z
    .strictObject({ enabled: enabled.optional(), grace_days: int(0, 3650).optional() })
    .optional(),
  blocked_code_scanned: z.strictObject({ enabled: enabled.optional() }).optional(),
  unexpected_location: z
    .strictObject({ enabled: enabled.optional(), km: z.number().min(1).max(20_000).optional() })
    .optional(),
  auto_block: enabled.optional(),
});

export type AlertSettingsInput = z.output<typeof alertSettingsInputSchema>;

/** The settings in force, every field set: the input's sections (and flags) with nothing optional. */
export const alertSettingsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(alertSettingsInputSchema.shape).map(([name, field]) => {
        const inner = field.unwrap();
        return [name, inner instanceof z.ZodObject ? inner.required() : inner];
      }),
    ),
  )
  .meta({ id: 'AlertSettings' });

type Widen<T> = {
  -readonly [K in keyof T]: T[K] extends boolean ? boolean : T[K] extends number ? number : Widen<T[K]>;
};
export type AlertSettings = Widen<typeof DEFAULT_ALERT_SETTINGS>;

/**
 * The defaults with each stored layer's fields over them, in order: the organisation's, then a
 * brand's (a field a layer did not set keeps the one below).
 */
export function effectiveSettings(...layers: (AlertSettingsInput | null | undefined)[]): AlertSettings {
  const out = structuredClone(DEFAULT_ALERT_SETTINGS) as AlertSettings;
  for (const stored of layers) {
    if (!stored) continue;
    for (const section of Object.keys(out) as (keyof AlertSettings)[]) {
      const given = stored[section];
      if (given === undefined) continue;
      if (typeof given !== 'object') {
        (out as Record<string, unknown>)[section] = given; // a flag (auto_block)
        continue;
      }
      for (const [field, value] of Object.entries(given)) {
        if (value !== undefined) (out[section] as Record<string, unknown>)[field] = value;
      }
    }
  }
  return out;
}
