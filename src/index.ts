// Worker entry: the fetch handler (resolver, brand API, dashboard); later also scheduled and
// queue handlers and the Durable Object classes.
import { createApp } from './app';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
