// The resolve benchmarks' scenarios, shared by bench/resolve.ts (through sockets and wrk) and
// bench/resolve-in-isolate.ts (calls inside the isolate), so both measure the same paths and rules.
import { benchmarkRules } from '../../src/demo/demo-rules.ts';
import type { ScenarioSpec } from './measure-scenario.ts';

/**
 * The bare redirect after reading the visitor's country from `request.cf` (src/app.ts), as the
 * rules scenario's first rule must: what the platform charges for geography, with no resolving.
 */
export const BARE_REDIRECT_READING_GEOGRAPHY: ScenarioSpec = {
  scenario: 'bare 307 + request.cf read',
  paths: ['/_bench/bare-307-geo'],
  expectStatus: 307,
};

/**
 * The second GS1 sample GTIN carries 50 brand rules (BENCH_RULES to change), none matching, so
 * every scan is evaluated against all of them.
 */
export const RULES_GTIN = '09506000134376';
export const BENCHMARK_RULE_COUNT = Number(process.env.BENCH_RULES ?? 50);

/**
 * A GTIN with a different unknown lot and serial on every request, so each resolution walks up
 * serial → lot → GTIN and no two paths repeat within a thousand requests.
 */
export function walkUpPaths(gtin: string): string[] {
  return Array.from({ length: 1000 }, (_, i) => `/01/${gtin}/10/LOT${i % 37}/21/SER${i}`);
}

/** By default: GS1's sample GTIN (the resolver issue's scenario). */
export const DEFAULT_RESOLVER_PATHS = walkUpPaths('09506000134352');

/** The same walk-up on the GTIN that carries the rules (its lot and serial levels are wildcards). */
export const RULES_PATHS = walkUpPaths(RULES_GTIN);

/**
 * The least a conformant answer to the rules scenario's scans costs (`/_bench/resolver-floor/…`,
 * src/app.ts): the same Digital Link paths, `request.cf` read for the country, and a 307 with every
 * header a resolved scan carries (GS1's Link, CORS, no-store), without parsing, resolving or rules.
 */
export const RESOLVER_FLOOR: ScenarioSpec = {
  scenario: 'floor: 307 + resolver headers + cf read',
  paths: RULES_PATHS.map((path) => `/_bench/resolver-floor${path}`),
  expectStatus: 307,
};

/** Writes the benchmark rules on RULES_GTIN through the rules API, as a brand would (200 to a bulk request). */
export async function seedBenchmarkRules(origin: string, apiKey: string): Promise<void> {
  const rules = benchmarkRules(RULES_GTIN, BENCHMARK_RULE_COUNT);
  for (let from = 0; from < rules.length; from += 200) {
    const res = await fetch(`${origin}/v1/rules/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: rules.slice(from, from + 200) }),
    });
    if (!res.ok) throw new Error(`seeding rules failed: ${res.status} ${await res.text()}`);
  }
}
