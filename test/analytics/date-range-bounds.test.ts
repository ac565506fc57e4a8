// Ranges outside the years scans can exist in are a 400 with the envelope, on every route that
// takes from/to (Date.UTC maps years 0–99 to the 1900s; year 9999 overflowed the arithmetic).
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../support/accounts';
import { call, expectError } from '../support/http';

const ROUTES = [
  '/v1/analytics/overview',
  '/v1/analytics/scans/timeseries',
  '/v1/analytics/scans/breakdown?by=country',
  '/v1/analytics/scans/map',
  '/v1/exports/scans.csv',
];

describe('from/to bounds', () => {
  it('years 0000–0100 and 9999 are a 400, never a 500', async () => {
    const org = await createOrganization();
    for (const route of ROUTES) {
      const join = route.includes('?') ? '&' : '?';
      for (const query of [
        'from=0000-01-01',
        'from=0099-12-31&to=0100-01-02',
        'to=9999-12-31',
        'from=1999-12-31T23:00:00Z',
      ]) {
        const error = await expectError(
          await call('GET', `${route}${join}${query}`, { key: org.ownerKey }),
          400,
          'validation_failed',
        );
        expect(error.message, `${route} ${query}`).toMatch(/between 2000-01-01 and 2100-12-31/);
      }
    }
  });

  it('a range inside the bounds still answers', async () => {
    const org = await createOrganization();
    const res = await call('GET', '/v1/analytics/overview?from=2026-01-01&to=2026-01-31', {
      key: org.ownerKey,
    });
    expect(res.status).toBe(200);
  });
});
