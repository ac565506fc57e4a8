// The body of POST /v1/resolver/preview: a Digital Link and the facts of an imagined scan of it.
import * as z from 'zod';
import { countryCodeSchema } from '../catalog/country-code';
import { draftRuleSchema } from '../rules/rule-input';
import { DEVICE_CLASSES } from '../scans/device-class';
import { passedOnQuery } from './resolve';

// As the resolver: a longer query is refused there (414), so nothing longer can be a real scan.
const MAX_DIGITAL_LINK_LENGTH = 2048;
// Any base would do: only the path and query of a Digital Link steer the resolver.
const BASE = 'https://preview.invalid';

/** The path and query the resolver would read from a request for this Digital Link. */
export interface LinkPathAndQuery {
  pathname: string;
  search: string;
}

/**
 * A Digital Link URI on any host (`https://id.gs1.org/01/…`), or its path (`/01/…?…`), read as
 * workerd reads a request's URL (WHATWG URL: percent-encoding normalised, fragment dropped).
 */
const digitalLinkUri = z
  .string()
  .min(1)
  .max(MAX_DIGITAL_LINK_LENGTH)
  .transform((uri, ctx): LinkPathAndQuery => {
    const shaped = /^https?:\/\/[^/?#\s]/i.test(uri) || (uri.startsWith('/') && !uri.startsWith('//'));
    if (!shaped || /[\s\p{Cc}]/u.test(uri) || !URL.canParse(uri, BASE)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an http(s) URI or a path, like "https://id.example.com/01/09506000134352"',
      });
      return z.NEVER;
    }
    const url = new URL(uri, BASE);
    return { pathname: url.pathname, search: url.search };
  });

/** A BCP 47 language tag (RFC 5646) as Accept-Language may carry it: letters and digits in subtags. */
const languageTag = z
  .string()
  .min(1)
  .max(35) // RFC 5646 §4.4.1: 35 characters hold every tag in practice
  .refine((tag) => {
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag, like "fr-CA"');

export const MAX_PREVIEW_LANGUAGES = 10;

const place = z.string().trim().min(1).max(100);

export const previewInputSchema = z.strictObject({
  digital_link: digitalLinkUri,
  country: countryCodeSchema.optional(),
  /** A region's name or code (request.cf.region "Quebec" or regionCode "QC"): rules match either. */
  region: place.optional(),
  city: place.optional(),
  /** Most preferred first, as a client's Accept-Language lists them. */
  languages: z.array(languageTag).max(MAX_PREVIEW_LANGUAGES).optional(),
  device_class: z.enum(DEVICE_CLASSES).optional(),
  at: z.iso
    .datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time with a zone, like "2026-12-24T10:00:00Z"',
    })
    .optional(),
  /** As `?linkType=` on the link (replacing one it carries): `gs1:pip`, `pip`, a full URI, `linkset`. */
  link_type: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be a link type, like "gs1:pip"')
    .optional(),
  /**
   * An unsaved rule, evaluated as if saved (in place of rule `id` when given): the rule editor's
   * live preview. Checked as a create is; nothing is stored.
   */
  draft_rule: draftRuleSchema.optional(),
});

export type PreviewInput = z.output<typeof previewInputSchema>;

/**
 * The languages as the Accept-Language header a client preferring them in that order sends:
 * `fr-CA, en;q=0.9, de;q=0.8` (ten at most, so q stays above 0).
 */
export function acceptLanguageOf(languages: readonly string[] | undefined): string | undefined {
  if (!languages || languages.length === 0) return undefined;
  return languages.map((tag, i) => (i === 0 ? tag : `${tag};q=${((10 - i) / 10).toFixed(1)}`)).join(', ');
}

/** The link's query with `linkType` set to `linkType` (any it had removed), or as it was. */
export function withLinkType(search: string, linkType: string | undefined): string {
  if (linkType === undefined) return search;
  const kept = passedOnQuery(search.slice(1));
  return `?${kept ? `${kept}&` : ''}linkType=${encodeURIComponent(linkType).replaceAll('%3A', ':')}`;
}
