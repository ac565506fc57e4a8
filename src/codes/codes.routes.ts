// `GET /v1/codes`: the QR Code or Data Matrix to print for a Digital Link. Any key may draw one: a
// code holds nothing but the URI it is asked for, and the resolver answers that URI only with the
// owning organisation's links.
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { publicOrigin } from '../http/request-url';
import { queryParams } from '../http/validate';
import { uriToEncode } from './code-data';
import { codeQuerySchema, MIN_QUIET_ZONE } from './code-query';
import { drawCode } from './draw-code';

const doc = documented({
  summary: 'The QR Code or Data Matrix that carries a Digital Link, to print',
  responses: {
    200: {
      description: 'The symbol: SVG (the default) or PNG, as format asks',
      mediaType: ['image/svg+xml', 'image/png'],
      headers: { 'x-digital-link': 'The URI the symbol carries' },
    },
  },
  errors: ['invalid_digital_link', 'bad_request'],
});

export const codeRoutes = new Hono<AppEnv>().get('/', doc, queryParams(codeQuerySchema), async (c) => {
  const q = c.req.valid('query');
  const uri = uriToEncode(q, publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url));
  const code = await drawCode({
    uri,
    symbology: q.symbology,
    format: q.format,
    size: q.size,
    quietZone: q.quiet_zone ?? MIN_QUIET_ZONE[q.symbology],
    errorCorrection: q.symbology === 'qr' ? (q.error_correction ?? 'M') : undefined,
  });
  const headers = {
    'content-type': code.format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png',
    // What the symbol carries, so a print pipeline can log it without decoding the image.
    'x-digital-link': uri,
  };
  return c.body(code.body, 200, headers);
});
