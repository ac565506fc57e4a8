// The conditions of a brand rule as stored and evaluated. All are optional; a rule applies only
// when every condition it has holds (AND). The API's snake_case form is in rule-input.ts.
import type { ProductStatus } from '../db/schema/catalog';
import type { DeviceClass } from '../scans/device-class';

export const DAYS_OF_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export interface RuleConditions {
  /** Epoch ms: the rule applies from this instant (inclusive)… */
  startsAt?: number;
  /** …until this one (exclusive). */
  endsAt?: number;
  /** Every year from `start` to `end`, both `MM-DD` and inclusive; `12-20`…`01-06` wraps the new year. */
  annualWindow?: { start: string; end: string };
  daysOfWeek?: DayOfWeek[];
  /** `HH:MM` from `start` (inclusive) to `end` (exclusive); `22:00`…`06:00` wraps midnight. */
  timeOfDay?: { start: string; end: string };
  /** IANA zone in which the annual window, days of week and time of day are read; UTC when absent. */
  timezone?: string;
  /** ISO 3166-1 alpha-2, upper case (Cloudflare's `request.cf.country`). */
  countries?: string[];
  /** Region names or codes (`request.cf.region` "Quebec" or `regionCode` "QC"), any case. */
  regions?: string[];
  /** City names (`request.cf.city`), any case, accents ignored. */
  cities?: string[];
  /** Language ranges (`fr`, `fr-ca`), lower case, matched against the client's preferred language. */
  languages?: string[];
  /** Normalised link types (`gs1:pip`): the rule answers requests for these (see evaluate-rules.ts). */
  linkTypes?: string[];
  productStatuses?: ProductStatus[];
  deviceClasses?: DeviceClass[];
  /**
   * true: the scan's own dated attributes (7003, 17, 15, 16) say the product is past its date;
   * false: they do not (or it carries none). src/digital-link/gs1-dates.ts reads them.
   */
  expired?: boolean;
}
