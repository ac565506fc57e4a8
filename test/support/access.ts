// Cloudflare Access as the tests see it: a team whose signing key pair the tests make, its JWKS
// served where the Worker fetches it (the Worker's outbound fetch is this isolate's, spied on),
// and tokens signed the way Access signs them (RS256, kid, iss, aud, exp).
import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { vi } from 'vitest';
import { newId } from '../../src/db/ids';
import type { ApiKeyRole } from '../../src/db/schema';
import { type CallOptions, call } from './http';

export const TEAM = 'acme-test';
export const ISSUER = `https://${TEAM}.cloudflareaccess.com`;
export const JWKS_URL = `${ISSUER}/cdn-cgi/access/certs`;
export const AUD = 'b8e1c0ffee5a5d1e0f6c7a2d4b3e9f8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f';
export const KID = 'test-kid-1';

/** The vars that turn Access sign-in on (the suite's own config leaves them empty). */
export const ACCESS_ENV: Partial<Env> = { ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD, ACCESS_JWKS_URL: '' };

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let teamKeys: KeyPair | undefined;

export async function teamKeyPair(): Promise<KeyPair> {
  teamKeys ??= await generateKeyPair('RS256', { extractable: true });
  return teamKeys;
}

/** JWKS requests the Worker made, by URL; `jwksAnswers` replaces a URL's answer (an outage). */
export const jwksFetches: string[] = [];
export const jwksAnswers = new Map<string, () => Response>();

/** Serves the team's JWKS at JWKS_URL (and any URL given an answer); other fetches go out as usual. */
export async function serveTeamJwks(): Promise<void> {
  const { publicKey } = await teamKeyPair();
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new Request(input, init).url;
    const answer = jwksAnswers.get(url);
    if (answer || url === JWKS_URL) jwksFetches.push(url);
    if (answer) return answer();
    if (url === JWKS_URL) return Response.json({ keys: [jwk], public_cert: { kid: KID, cert: 'unused' } });
    return realFetch(input, init);
  });
}

export interface TokenOptions {
  email?: string | null;
  groups?: unknown;
  issuer?: string;
  audience?: string;
  /** Seconds from now. */
  expiresIn?: number;
  notBefore?: number;
  kid?: string;
  /** Signs with this key pair instead of the team's. */
  keys?: KeyPair;
}

/** A token as Access issues one for `email` (claims overridable for the bad-token cases). */
export async function accessToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { type: 'app', country: 'NL', identity_nonce: 'n0nce' };
  if (options.email !== null) claims.email = options.email ?? 'ana@example.com';
  if (options.groups !== undefined) claims.groups = options.groups;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? KID, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUD)
    .setSubject(newId('sub'))
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300));
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign((options.keys ?? (await teamKeyPair())).privateKey);
}

export interface AccessCallOptions extends CallOptions {
  token?: string;
  /** Send the token as the browser's CF_Authorization cookie instead of the edge's header. */
  asCookie?: boolean;
  /** The Origin header, none unless given. */
  origin?: string;
}

/** A request with Access turned on, carrying `token` as Access would put it there. */
export function accessCall(method: string, path: string, options: AccessCallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) {
    if (options.asCookie) headers.cookie = `theme=dark; CF_Authorization=${options.token}`;
    else headers['cf-access-jwt-assertion'] = options.token;
  }
  if (options.origin) headers.origin = options.origin;
  return call(method, path, { ...options, headers, env: { ...ACCESS_ENV, ...options.env } });
}

/** A member row written straight to D1, with its created_at (to order memberships in tests). */
export async function insertAccessMember(
  orgId: string,
  kind: 'email' | 'group',
  subject: string,
  role: ApiKeyRole,
  createdAt = Date.now(),
): Promise<string> {
  const id = newId('acm');
  await env.DB.prepare(
    'INSERT INTO access_members (id, org_id, kind, subject, role, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
    .bind(id, orgId, kind, subject, role, createdAt)
    .run();
  return id;
}
