// Verifies a Cloudflare Access token (the `Cf-Access-Jwt-Assertion` header or `CF_Authorization`
// cookie) with jose: RS256 only, signed by a key of the team's JWKS, for our issuer and audience,
// within exp/nbf. https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { ApiError } from '../http/api-error';
import type { AccessConfig } from './access-config';

/** Who the token says the person is: a lowercased email, and their identity provider's groups. */
export interface AccessIdentity {
  email: string;
  groups: string[];
}

// One key set per isolate and URL: jose keeps the fetched keys (refetching them when stale, or,
// after a cooldown, for a kid it does not know), so few requests ever wait for the JWKS.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(url: URL): ReturnType<typeof createRemoteJWKSet> {
  let keySet = keySets.get(url.href);
  if (!keySet) {
    keySet = createRemoteJWKSet(url);
    keySets.set(url.href, keySet);
  }
  return keySet;
}

/** Groups bound the D1 lookup (at most 100 parameters a statement). */
const MAX_GROUPS = 50;
/** Far above any Access token and below the request-header limit: junk stops before parsing. */
const MAX_TOKEN_CHARS = 16_384;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export async function verifyAccessToken(token: string, config: AccessConfig): Promise<AccessIdentity> {
  if (token.length > MAX_TOKEN_CHARS || !TOKEN_PATTERN.test(token)) {
    throw new ApiError('unauthorized', 'The Cloudflare Access token is not a JWT');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(config.jwksUrl), {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ['RS256'],
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    throw refusal(err);
  }
  const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';
  if (!email.includes('@') || email.length > 320) {
    // A service token carries no email: machines sign in with API keys.
    throw new ApiError(
      'unauthorized',
      'This Cloudflare Access token names no person; machines use an API key',
    );
  }
  return { email, groups: groupsOf(payload.groups) };
}

/** The `groups` claim as identity providers send it: names, or objects with an id, name or email. */
function groupsOf(claim: unknown): string[] {
  if (!Array.isArray(claim)) return [];
  const names = new Set<string>();
  for (const group of claim) {
    const values =
      typeof group === 'string'
        ? [group]
        : group && typeof group === 'object'
          ? [group.id, group.name, group.email].filter((v): v is string => typeof v === 'string')
          : [];
    for (const v of values) if (v.trim() && v.length <= 200) names.add(v.trim().toLowerCase());
  }
  return [...names].slice(0, MAX_GROUPS);
}

function refusal(err: unknown): ApiError {
  if (err instanceof errors.JWTExpired) {
    return new ApiError(
      'unauthorized',
      'Your Cloudflare Access session has expired; reload the page to sign in again',
    );
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new ApiError(
      'unauthorized',
      `The Cloudflare Access token is not for this application (${err.claim})`,
    );
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new ApiError('unauthorized', 'The Cloudflare Access token must be signed with RS256');
  }
  if (err instanceof errors.JWKSNoMatchingKey) {
    return new ApiError('unauthorized', "The Cloudflare Access token's key is not one of the team's");
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new ApiError('unauthorized', 'The Cloudflare Access token has a bad signature');
  }
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSENotSupported
  ) {
    return new ApiError('unauthorized', 'The Cloudflare Access token is malformed');
  }
  // The team's key set could not be fetched or read: not the person's fault, and not a sign-in.
  console.error('Cloudflare Access keys unavailable', String(err));
  return new ApiError(
    'unavailable',
    'Could not check the Cloudflare Access sign-in right now; try again shortly',
  );
}
