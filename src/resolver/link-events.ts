// `link.changed` webhook events: which entities the resolver answers with were created, replaced or
// deleted by one request (a request that stored exactly what was there sends nothing). Thin: ids and
// anchors; the links themselves are one GET /v1/links/:id away.
import { chunked, type NewEvent, type PublishEnv, publishAfterWrite } from '../alerts/webhooks/publish-event';
import { newId } from '../db/ids';
import type { DlEntityRow } from '../db/schema';
import { anchorOf, type StoredEntity } from './link-store';

export interface LinkChange {
  id: string;
  anchor: string;
  change: 'created' | 'replaced' | 'deleted';
}

/** Entities per event: a 500-entity bulk write is five events, each body a few kilobytes. */
const CHANGES_PER_EVENT = 100;

export function linkChangedEvents(changes: LinkChange[], now: number): NewEvent[] {
  return chunked(changes, CHANGES_PER_EVENT).map((group) => ({
    id: newId('evt'),
    type: 'link.changed',
    at: now,
    data: { entities: group },
  }));
}

/** `link.changed` for the entities a write created or replaced (not those it left as they were). */
export function publishLinkChanges(
  env: PublishEnv,
  orgId: string,
  results: { stored: StoredEntity; created: boolean; changed: boolean }[],
): Promise<void> {
  const changes = results
    .filter((r) => r.changed)
    .map(
      (r): LinkChange => ({
        id: r.stored.entity.id,
        anchor: anchorOf(r.stored.entity),
        change: r.created ? 'created' : 'replaced',
      }),
    );
  return publishAfterWrite(env, orgId, linkChangedEvents(changes, Date.now()));
}

export const publishLinkDeleted = (env: PublishEnv, orgId: string, entity: DlEntityRow) =>
  publishAfterWrite(
    env,
    orgId,
    linkChangedEvents([{ id: entity.id, anchor: anchorOf(entity), change: 'deleted' }], Date.now()),
  );
