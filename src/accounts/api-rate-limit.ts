// Rate limits of the brand API (/v1): failed authentication per client, so keys cannot be guessed
// at speed, and requests per API key and per organisation, so one integration cannot starve the
// rest. Limits come from [vars] (wrangler.toml documents the defaults); API_RATE_LIMIT_OVERRIDES
// raises or lowers them per organisation: `{"org_…": {"key": 1200, "organization": 6000}}`.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../http/api-error';
import { type AppEnv, actorOf } from '../http/app-env';
import { failsWith } from '../http/openapi/route-doc';
import { enforce, limitFrom, type RateLimitPolicy, takeAll } from '../http/rate-limit';
import { clientKey } from '../search/client-key';

const WINDOW_SECONDS = 60;
const DEFAULTS = { authFailures: 20, key: 600, organization: 1800 };

type Overrides = Record<string, { key?: number; organization?: number }>;
let overrides: { raw: string; parsed: Overrides } = { raw: '', parsed: {} };

function overridesOf(raw: string | undefined): Overrides {
  const text = raw?.trim() || '{}';
  if (overrides.raw !== text) {
    let parsed: Overrides = {};
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Overrides;
    } catch {
      console.error('API_RATE_LIMIT_OVERRIDES is not JSON; using the default limits');
    }
    overrides = { raw: text, parsed };
  }
  return overrides.parsed;
}

/**
 * Refuses a client (hashed address) with 429 once it has failed authentication
 * API_AUTH_FAILURE_LIMIT times a minute, even with a good key then: a guess that hits must look
 * like one that misses. Only failures use up the bucket.
 */
export const throttleFailedAuth = createMiddleware<AppEnv>(async (c, next) => {
  const policy: RateLimitPolicy = {
    name: 'auth-failures',
    limit: limitFrom(c.env.API_AUTH_FAILURE_LIMIT, DEFAULTS.authFailures),
    windowSeconds: WINDOW_SECONDS,
  };
  const address = c.req.header('cf-connecting-ip') ?? 'unknown';
  const client = await clientKey(c.env.SCANNER_HASH_SECRET ?? '', Date.now(), address);
  const limiter = c.env.RATE_LIMITER.getByName(`${policy.name}:${client}`);
  const before = await limiter.peek(policy.limit, WINDOW_SECONDS * 1000);
  if (!before.allowed) enforce(c, [policy], [before]);
  let failed = false;
  try {
    await next();
    failed = c.res.status === 401;
  } catch (err) {
    failed = err instanceof ApiError && err.code === 'unauthorized';
    throw err;
  } finally {
    if (failed) await limiter.take(policy.limit, WINDOW_SECONDS * 1000);
  }
});
failsWith(throttleFailedAuth, ['rate_limited']);

/** Per API key and per organisation, after authentication; every answer carries both policies. */
export const rateLimitApi = createMiddleware<AppEnv>(async (c, next) => {
  const auth = c.get('auth');
  const orgId = auth.orgId;
  const own = overridesOf(c.env.API_RATE_LIMIT_OVERRIDES)[orgId] ?? {};
  const policies: RateLimitPolicy[] = [
    {
      name: 'key',
      limit: limitFrom(String(own.key ?? c.env.API_RATE_LIMIT_PER_KEY), DEFAULTS.key),
      windowSeconds: WINDOW_SECONDS,
    },
    {
      name: 'organization',
      limit: limitFrom(
        String(own.organization ?? c.env.API_RATE_LIMIT_PER_ORGANIZATION),
        DEFAULTS.organization,
      ),
      windowSeconds: WINDOW_SECONDS,
    },
  ];
  const decisions = await takeAll(c.env, [
    // Per person for Access sign-ins: a group's members do not share one budget.
    { policy: policies[0]!, bucket: actorOf(auth) },
    { policy: policies[1]!, bucket: orgId },
  ]);
  enforce(c, policies, decisions);
  await next();
});
failsWith(rateLimitApi, ['rate_limited']);
