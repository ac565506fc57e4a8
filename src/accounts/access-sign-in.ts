// Signing a person in through Cloudflare Access: the verified token's email and groups, mapped to
// one organisation and role by the access_members rows the operator and the organisation's
// managers keep. Access travels in a cookie, so writes must also come from our own origin.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ApiError } from '../http/api-error';
import type { AppEnv, AuthContext } from '../http/app-env';
import type { AccessConfig } from './access-config';
import { membershipsOf } from './access-member-store';
import { chooseMembership } from './access-membership';
import { verifyAccessToken } from './access-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The token Access put on the request: its header at the edge, else the browser's cookie. */
export function accessTokenOf(c: Context<AppEnv>): string | undefined {
  return (
    c.req.header('cf-access-jwt-assertion')?.trim() || getCookie(c, 'CF_Authorization')?.trim() || undefined
  );
}

export async function signInWithAccess(
  c: Context<AppEnv>,
  config: AccessConfig,
  token: string,
): Promise<AuthContext> {
  const identity = await verifyAccessToken(token, config);
  const member = chooseMembership(await membershipsOf(c.env.DB, identity.email, identity.groups));
  if (!member) {
    // 403, not 401: signing in again through Access would only bring the same person back here.
    throw new ApiError(
      'forbidden',
      `${identity.email} is not a member of any organisation here; ask your organisation's admin to add you`,
    );
  }
  assertSameOrigin(c);
  return {
    orgId: member.orgId,
    keyId: member.id,
    role: member.role,
    principal: { kind: 'access', email: identity.email },
  };
}

/**
 * The browser sends the Access cookie with any site's form or fetch: a write signed in by it must
 * say it comes from this origin. Origin when the browser sends one; without it, the browser's own
 * `Sec-Fetch-Site: same-origin` (a header no page can set; some Chromium builds leave Origin off
 * same-origin fetches).
 */
function assertSameOrigin(c: Context<AppEnv>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header('origin');
  if (origin === undefined && c.req.header('sec-fetch-site') === 'same-origin') return;
  if (origin !== new URL(c.req.url).origin) {
    throw new ApiError(
      'csrf',
      origin
        ? `Requests signed in through Cloudflare Access must come from this site, not ${origin.slice(0, 200)}`
        : 'Requests signed in through Cloudflare Access must carry an Origin header from this site',
    );
  }
}
