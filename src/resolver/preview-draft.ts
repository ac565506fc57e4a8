// The draft rule of a scan preview: an unsaved rule (or the edited version of a saved one) checked
// as a save would check it and placed where a save would put it, then evaluated by the resolver in
// that place. Nothing is written.
import type * as z from 'zod';
import { assertMayPublish } from '../accounts/company-prefix-store';
import { type draftRuleSchema, toDraft } from '../rules/rule-input';
import { ruleRow } from '../rules/rule-record';
import { findRule, healthOf, placeUnsavedRule } from '../rules/rule-store';
import type { OwnedRule } from '../rules/scan-rules';

/** The trace's rule_id of a new rule's draft (saved rules' ids start `rul_`). */
export const NEW_DRAFT_ID = 'draft';

export interface UnsavedRule extends OwnedRule {
  name: string;
}

export async function unsavedRule(
  db: D1Database,
  orgId: string,
  input: z.output<typeof draftRuleSchema>,
): Promise<UnsavedRule> {
  // Another organisation's rule is a 404, as for GET /v1/rules/:id.
  const replacing = input.id === undefined ? null : await findRule(db, orgId, input.id);
  const draft = toDraft(input);
  if (draft.gtin !== null) await assertMayPublish(db, orgId, [{ ai: '01', value: draft.gtin }]);
  const orderIndex = await placeUnsavedRule(db, orgId, draft, replacing);
  const now = Date.now();
  const row = ruleRow(
    orgId,
    draft,
    { id: replacing?.id ?? NEW_DRAFT_ID, orderIndex, createdAt: replacing?.createdAt ?? now },
    now,
  );
  // A draft keeping a saved rule's URL keeps its health: a dead URL previews as dead.
  const dead = row.healthUrl ? ((await healthOf(db, [row])).get(row.healthUrl)?.dead ?? false) : false;
  return {
    id: row.id,
    orgId,
    name: row.name,
    scope: row.scope,
    gtin: row.gtin,
    lot: row.lot,
    serial: row.serial,
    brandId: row.brandId,
    orderIndex,
    enabled: row.enabled,
    conditions: row.conditions,
    destination:
      row.destinationType === 'url'
        ? { type: 'url', url: row.destinationUrl!, forwardQuery: row.forwardQuery, dead }
        : { type: 'hosted_page' },
    deadUrlPolicy: row.deadUrlPolicy,
  };
}
