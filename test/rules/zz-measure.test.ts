import { env } from 'cloudflare:workers';
import { it } from 'vitest';
import { benchmarkRules } from '../../src/demo/demo-rules';
import { evaluateRules, PLAIN_SCAN_LINK_TYPE, inEvaluationOrder } from '../../src/rules/evaluate-rules';
import { toDraft, ruleInputSchema } from '../../src/rules/rule-input';

it('measure', async () => {
  const gtin = '09506000134352';
  const rules = inEvaluationOrder(benchmarkRules(gtin, 50).map((r, i) => {
    const d = toDraft(ruleInputSchema.parse(r));
    return { id: `r${i}`, scope: d.scope, gtin: d.gtin, lot: null, serial: null, brandId: null, orderIndex: d.orderIndex!, enabled: true, conditions: d.conditions,
      destination: { type: 'url' as const, url: d.destinationUrl!, forwardQuery: true, dead: false }, deadUrlPolicy: d.deadUrlPolicy };
  }));
  for (const country of [undefined, 'US', 'FR']) {
    const ctx = { now: Date.now(), gtin, brandId: null, country, languages: ['en'], linkType: PLAIN_SCAN_LINK_TYPE, productStatus: 'active' as const, deviceClass: 'other' as const, hostedPageAvailable: true };
    for (let i = 0; i < 2000; i++) evaluateRules(rules, ctx);
    const n = 50000;
    const t0 = Date.now();
    for (let i = 0; i < n; i++) evaluateRules(rules, { ...ctx, now: ctx.now + i * 10 });
    await env.DB.prepare('SELECT 1').first();
    console.log(`evaluateRules 50 rules (country ${country}), µs/scan:`, ((Date.now() - t0) * 1000) / n);
  }
}, 300_000);
