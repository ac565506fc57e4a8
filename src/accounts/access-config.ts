// Cloudflare Access sign-in is on when the operator sets both ACCESS_TEAM_DOMAIN and ACCESS_AUD
// (wrangler.toml); with either empty, /v1 takes API keys only, exactly as without this module.

export interface AccessConfig {
  /** `https://<team>.cloudflareaccess.com`: the tokens' `iss`. */
  issuer: string;
  /** The Access application's AUD tag: the tokens' `aud`. */
  audience: string;
  /** The team's signing keys (JWKS). */
  jwksUrl: URL;
}

type AccessVars = Pick<Env, 'ACCESS_TEAM_DOMAIN' | 'ACCESS_AUD' | 'ACCESS_JWKS_URL'>;

const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

let cached: { raw: string; config: AccessConfig | null } | undefined;

/** The Access settings, or null when Access sign-in is off (or misconfigured: then it stays off). */
export function accessConfigOf(env: AccessVars): AccessConfig | null {
  const raw = `${env.ACCESS_TEAM_DOMAIN ?? ''}\n${env.ACCESS_AUD ?? ''}\n${env.ACCESS_JWKS_URL ?? ''}`;
  if (cached?.raw !== raw) cached = { raw, config: parseAccessConfig(env) };
  return cached.config;
}

function parseAccessConfig(env: AccessVars): AccessConfig | null {
  const team = (env.ACCESS_TEAM_DOMAIN ?? '')
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, '')
    .replace(/\/+$/, '');
  const audience = (env.ACCESS_AUD ?? '').trim();
  if (!team && !audience) return null;
  // Failing closed: a half-configured Access lets nobody in through it, and says so in the logs.
  if (!team || !audience) {
    console.error('Access sign-in is off: set both ACCESS_TEAM_DOMAIN and ACCESS_AUD');
    return null;
  }
  const host = team.includes('.') ? team : `${team}.cloudflareaccess.com`;
  if (!HOSTNAME.test(host)) {
    console.error('Access sign-in is off: ACCESS_TEAM_DOMAIN is not a team name or host name');
    return null;
  }
  const issuer = `https://${host}`;
  let jwksUrl = new URL(`${issuer}/cdn-cgi/access/certs`);
  const override = (env.ACCESS_JWKS_URL ?? '').trim();
  if (override) {
    if (!URL.canParse(override) || !/^https?:$/.test(new URL(override).protocol)) {
      console.error('Access sign-in is off: ACCESS_JWKS_URL is not an http(s) URL');
      return null;
    }
    jwksUrl = new URL(override);
  }
  return { issuer, audience, jwksUrl };
}
