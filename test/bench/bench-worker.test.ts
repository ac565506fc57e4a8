// The bench Worker (bench/worker/bench-entry.ts): the deployed Worker plus the benchmarks'
// baseline routes, which the deployed Worker does not have (there they are paths like any other).
import { beforeAll, describe, expect, it } from 'vitest';
import { orgWithDemoLinks } from '../support/demo-links';
import { call, callBenchWorker, expectError } from '../support/http';

const GTIN_PATH = '/01/09506000134352/10/LOT9/21/SER9';

beforeAll(async () => {
  await orgWithDemoLinks();
});

describe('bench baseline routes', () => {
  it('the bench baseline route is only a Digital Link (400) on the deployed Worker', async () => {
    await expectError(await call('GET', '/_bench/bare-307'), 400, 'invalid_digital_link');
    const on = await callBenchWorker('/_bench/bare-307');
    expect(on.status).toBe(307);
  });

  it('so is the baseline that reads the visitor country, which redirects to a path naming it', async () => {
    await expectError(await call('GET', '/_bench/bare-307-geo'), 400, 'invalid_digital_link');
    const on = await callBenchWorker('/_bench/bare-307-geo');
    expect(on.status).toBe(307);
    expect(on.headers.get('location')).toMatch(/^https:\/\/example\.com\/(unknown|[A-Z]{2})$/);
  });

  it('the resolver floor answers with exactly the headers of a resolved scan, without resolving it', async () => {
    const scan = await call('GET', GTIN_PATH);
    const floor = await callBenchWorker(`/_bench/resolver-floor${GTIN_PATH}`);
    expect(floor.status).toBe(307);
    expect(floor.headers.get('location')).toMatch(/^https:\/\/example\.com\/(unknown|[A-Z]{2})$/);
    expect([...floor.headers.keys()].sort()).toEqual([...scan.headers.keys()].sort());
    expect(floor.headers.get('link')).toBe(scan.headers.get('link'));
    expect(floor.headers.get('cache-control')).toBe('no-store');
    // On the deployed Worker the prefix is only a path stem before a Digital Link: resolved like any scan.
    const off = await call('GET', `/_bench/resolver-floor${GTIN_PATH}`);
    expect(off.status).toBe(307);
    expect(off.headers.get('location')).toBe(scan.headers.get('location'));
  });

  it('GET /_bench/bare-307 redirects only on the bench Worker', async () => {
    const on = await callBenchWorker('/_bench/bare-307');
    expect(on.status).toBe(307);
    expect(on.headers.get('location')).toBe('https://example.com/');
    const off = await call('GET', '/_bench/bare-307');
    expect(off.status).toBe(400); // not a route then: a path that is no Digital Link
  });
});
