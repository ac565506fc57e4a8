// Parsing a GS1 Digital Link URI (GS1 Digital Link URI Syntax 1.x) into its primary key, key
// qualifiers and data attributes. Pure: no I/O, nothing thrown for bad input, every rejection a
// DigitalLinkError whose message says what is wrong and where.
import { showCharacter } from './character-sets';
import { type ExtractedLink, readPathAndQuery } from './read-path-and-query';
import type { AiValue, DigitalLinkError, ParseOptions, ParseOutcome } from './types';
import { validateDigitalLinkAis } from './validate-digital-link';

// RFC 3986 unreserved and reserved characters, plus "%": nothing else may appear in a DL URI.
// A table by character code: this check reads every character of every scanned URI.
const URI_CHARACTERS = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%") {
  URI_CHARACTERS[char.charCodeAt(0)] = 1;
}
// Characters from that set that a domain (host and port) may not contain.
const BAD_DOMAIN_CHARACTERS = /[_~?#@!$&'()*+,;=%]/;
// The engine accepts the scheme in all lower or all upper case only.
const SCHEMES = ['https://', 'HTTPS://', 'http://', 'HTTP://'];

const fail = (error: DigitalLinkError): ParseOutcome => ({ ok: false, error });

function checkCharacters(text: string): DigitalLinkError | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || URI_CHARACTERS[code] !== 1) {
      const message = `URI contains ${showCharacter(text.charAt(i))} at position ${i + 1}, which is not allowed in a URI`;
      return { code: 'illegal_character', message };
    }
  }
  return undefined;
}

const pair = ({ ai, value }: AiValue): AiValue => ({ ai, value });

function finish(extracted: ExtractedLink, options: ParseOptions): ParseOutcome {
  const error = validateDigitalLinkAis(extracted.path, extracted.query, options);
  if (error) return fail(error);
  const [primaryKey, ...qualifiers] = extracted.path.map(pair);
  if (!primaryKey) throw new Error('unreachable: a path without its primary key');
  const link = {
    primaryKey,
    qualifiers,
    attributes: extracted.query.map(pair),
    extraParams: extracted.extraParams,
    stem: extracted.stem,
    ...(extracted.linkType !== undefined && { linkType: extracted.linkType }),
    ...(extracted.context !== undefined && { context: extracted.context }),
  };
  return { ok: true, link };
}

/** Parses a complete Digital Link URI such as https://id.gs1.org/01/09506000134352/10/ABC?17=261231. */
export function parseDigitalLink(uri: string, options: ParseOptions = {}): ParseOutcome {
  const characterError = checkCharacters(uri);
  if (characterError) return fail(characterError);
  const scheme = SCHEMES.find((s) => uri.startsWith(s));
  if (!scheme)
    return fail({
      code: 'invalid_scheme',
      message: 'Scheme must be http:// or https:// (in lower or upper case)',
    });
  const rest = uri.slice(scheme.length);
  const slash = rest.indexOf('/');
  if (slash < 1)
    return fail({ code: 'missing_domain_or_path', message: 'URI must contain a domain and a path' });
  const badDomain = BAD_DOMAIN_CHARACTERS.exec(rest.slice(0, slash));
  if (badDomain) {
    const message = `Domain contains ${showCharacter(badDomain[0])}, which is not allowed in a domain name`;
    return fail({ code: 'illegal_domain_character', message });
  }
  const [withoutFragment = ''] = rest.slice(slash).split('#', 1);
  const question = withoutFragment.indexOf('?');
  const path = question < 0 ? withoutFragment : withoutFragment.slice(0, question);
  const query = question < 0 ? '' : withoutFragment.slice(question + 1);
  const extracted = readPathAndQuery(path, query, options);
  return extracted.ok ? finish(extracted.link, options) : fail(extracted.error);
}

/**
 * Parses what a resolver receives: the request's path (URL.pathname, starting with "/") and
 * query string (URL.search, with or without its leading "?"). The stem is any path before the
 * primary key, e.g. "/products" in /products/01/09506000134352.
 */
export function parseDigitalLinkPath(
  pathname: string,
  search: string,
  options: ParseOptions = {},
): ParseOutcome {
  const query = search.startsWith('?') ? search.slice(1) : search;
  const characterError = checkCharacters(pathname + query);
  if (characterError) return fail(characterError);
  if (!pathname.startsWith('/'))
    return fail({ code: 'missing_domain_or_path', message: 'The path must start with "/"' });
  const extracted = readPathAndQuery(pathname, query, options);
  return extracted.ok ? finish(extracted.link, options) : fail(extracted.error);
}
