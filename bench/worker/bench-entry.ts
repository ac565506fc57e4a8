// The Worker the benchmarks build and serve: every export of the deployed Worker (src/index.ts),
// with the baseline routes (bench-routes.ts) mounted on its edge app ahead of the resolver.
import { createApp } from '../../src/app';
import worker from '../../src/index';
import { mountBenchRoutes } from './bench-routes';

export * from '../../src/index';

const app = createApp({ edgeRoutes: mountBenchRoutes });

export default { ...worker, fetch: app.fetch } satisfies ExportedHandler<Env>;
