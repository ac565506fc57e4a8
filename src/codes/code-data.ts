// The Digital Link URI a code will carry, from the query: validated like the resolver validates a
// scan (a code that the resolver would refuse is never drawn), compressed on request.
import {
  compressDigitalLinkUri,
  elementStringToDigitalLinkUri,
  generateDigitalLinkUri,
  parseDigitalLink,
  parseFnc1ElementString,
} from '../digital-link';
import { ApiError } from '../http/api-error';
import type { CodeQuery } from './code-query';

/** `origin` is the stem element strings get: this resolver (PUBLIC_BASE_URL or the request's origin). */
export function uriToEncode(query: CodeQuery, origin: string): string {
  const uri = query.data ?? fromElementString(query.element_string ?? '', origin);
  const parsed = parseDigitalLink(uri);
  if (!parsed.ok) {
    throw new ApiError(
      'invalid_digital_link',
      `data is not a valid GS1 Digital Link URI: ${parsed.error.message}`,
    );
  }
  if (!query.compressed) return uri;
  const compressed = compressDigitalLinkUri(uri);
  if (!compressed.ok) {
    throw new ApiError('invalid_digital_link', `The URI cannot be compressed: ${compressed.error.message}`);
  }
  return compressed.uri;
}

function fromElementString(elementString: string, origin: string): string {
  // `^` (or the GS character) marks FNC1 form, as a scanner reports it; otherwise bracketed AIs.
  const fnc1 = elementString.startsWith('^') || elementString.startsWith('\u001d');
  const outcome = fnc1
    ? (() => {
        const parsed = parseFnc1ElementString(elementString);
        return parsed.ok ? generateDigitalLinkUri(parsed.elements, { stem: origin }) : parsed;
      })()
    : elementStringToDigitalLinkUri(elementString, { stem: origin });
  if (!outcome.ok) {
    throw new ApiError(
      'invalid_digital_link',
      `element_string is not valid GS1 data: ${outcome.error.message}`,
    );
  }
  return outcome.uri;
}
