// The D1 schema, one file per capability. drizzle-kit reads this folder and turns changes into
// migrations/NNNN_*.sql (`npm run db:generate`); wrangler applies them.
// Times are integer milliseconds since the epoch (UTC); the API shows them as ISO 8601.
export * from './accounts';
export * from './alerts';
export * from './blocking';
export * from './catalog';
export * from './inventory';
export * from './links';
export * from './rules';
export * from './scans';
export * from './search';
export * from './storage';
