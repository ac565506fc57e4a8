// Worker entry for bench/resolve-in-isolate.ts: the Worker as deployed, plus POST /_bench/loop
// which calls the Worker's own fetch handler `n` times in a row for
// the paths in the body, inside the isolate: no sockets, no Miniflare entry worker, no load
// generator competing for the two cores. What is left is what our code (and the Request and
// Response objects it needs) costs. Each Request carries a `request.cf` object as JavaScript, so
// reading it costs nothing here; in production workerd parses it from JSON on first access.
// Plain JavaScript, for the reason given in ingest-entry.js.
import worker from './bench-entry.ts';

export * from './bench-entry.ts';

// Miniflare's placeholder visitor (Austin, US): the geography the rules scenario's rules test.
const CF = {
  country: 'US',
  region: 'Texas',
  regionCode: 'TX',
  city: 'Austin',
  continent: 'NA',
  colo: 'DFW',
  timezone: 'America/Chicago',
  latitude: '30.27130',
  longitude: '-97.74260',
  asn: 395747,
};

export default {
  ...worker,
  async fetch(request, env, ctx) {
    if (request.method !== 'POST' || !request.url.endsWith('/_bench/loop'))
      return worker.fetch(request, env, ctx);
    const { paths, n, expectStatus, headers } = await request.json();
    for (let i = 0; i < n; i++) {
      const path = paths[i % paths.length];
      const res = await worker.fetch(
        new Request(`https://resolver.example${path}`, { cf: CF, headers }),
        env,
        ctx,
      );
      if (res.status !== expectStatus)
        return new Response(`${path}: ${res.status}, expected ${expectStatus}`, { status: 500 });
    }
    return new Response(null, { status: 204 });
  },
};
