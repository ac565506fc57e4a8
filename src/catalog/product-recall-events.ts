// `product.recalled` webhook events: a write made a product's status `recalled`, or added lots to
// its recalled lots. One event per request (split every 50 products, so bodies stay small), with
// what changed and the product as the API shows it.
import { chunked, type NewEvent, type PublishEnv, publishAfterWrite } from '../alerts/webhooks/publish-event';
import { hasSubscriber } from '../alerts/webhooks/webhook-store';
import { newId } from '../db/ids';
import { isoOrNull } from '../time/iso-time';
import { type ProductRecord, present } from './product-record';
import { recallStatesOf } from './product-store';

type RecallState = Pick<ProductRecord, 'status' | 'recalledLots'>;

export interface Recall {
  product: ProductRecord;
  /** The status became `recalled` with this write. */
  statusRecalled: boolean;
  /** Lots recalled by this write (not recalled before it). */
  lotsAdded: ProductRecord['recalledLots'];
}

/** What `after` recalls that `before` (undefined: a new product) did not; null when nothing. */
export function recallOf(before: RecallState | undefined, after: ProductRecord): Recall | null {
  const statusRecalled = after.status === 'recalled' && before?.status !== 'recalled';
  const known = new Set(before?.recalledLots.map((l) => l.lot) ?? []);
  const lotsAdded = after.recalledLots.filter((l) => !known.has(l.lot));
  return statusRecalled || lotsAdded.length > 0 ? { product: after, statusRecalled, lotsAdded } : null;
}

const PRODUCTS_PER_EVENT = 50;

export function productRecalledEvents(recalls: Recall[], now: number): NewEvent[] {
  return chunked(recalls, PRODUCTS_PER_EVENT).map((group) => ({
    id: newId('evt'),
    type: 'product.recalled',
    at: now,
    data: {
      recalls: group.map((r) => ({
        status_recalled: r.statusRecalled,
        lots_added: r.lotsAdded.map((l) => ({
          lot: l.lot,
          recalled_at: isoOrNull(l.recalledAt),
          reason: l.reason,
        })),
        product: present(r.product),
      })),
    },
  }));
}

/** `product.recalled` for what these writes recalled, if anything. */
export async function publishRecalls(
  env: PublishEnv,
  orgId: string,
  recalls: (Recall | null)[],
): Promise<void> {
  const found = recalls.filter((r): r is Recall => r !== null);
  if (found.length > 0) await publishAfterWrite(env, orgId, productRecalledEvents(found, Date.now()));
}

/**
 * Runs a bulk upsert of `rows` and publishes what it recalled. What the products were before is
 * read only when an endpoint of the organisation would hear of a recall.
 */
export async function withRecallEvents<T>(
  env: PublishEnv,
  orgId: string,
  rows: ProductRecord[],
  write: () => Promise<T>,
): Promise<T> {
  const before = (await hasSubscriber(env.DB, orgId, 'product.recalled'))
    ? await recallStatesOf(
        env.DB,
        orgId,
        rows.map((r) => r.gtin),
      )
    : undefined;
  const result = await write();
  if (before)
    await publishRecalls(
      env,
      orgId,
      rows.map((row) => {
        const stored = before.get(row.gtin);
        // An updated product keeps its id and creation time (the upsert is by GTIN).
        return recallOf(stored, stored ? { ...row, id: stored.id, createdAt: stored.createdAt } : row);
      }),
    );
  return result;
}
