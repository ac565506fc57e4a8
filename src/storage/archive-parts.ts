// How a run of a ScanCounter's pending rows splits into archive objects (pure): one object per
// organisation and UTC hour the events occurred in, named by the first pending row that holds
// one of them, so the same rows always give the same objects.
import { type ArchivePart, archiveKey } from './archive-layout';
import type { ArchivedEvent } from './archive-object';

const HOUR_MS = 3_600_000;

export interface PendingRow {
  seq: number;
  events: ArchivedEvent[];
}

export interface PlannedObject {
  key: string;
  part: ArchivePart;
  events: ArchivedEvent[];
}

export function planArchive(rows: readonly PendingRow[]): PlannedObject[] {
  const parts = new Map<string, PlannedObject>();
  for (const row of rows) {
    for (const event of row.events) {
      const hourMs = event.occurredAt - (event.occurredAt % HOUR_MS);
      const group = `${event.orgId ?? ''}\u0000${hourMs}\u0000${event.keyAi}\u0000${event.keyValue}\u0000${event.shard}`;
      let planned = parts.get(group);
      if (!planned) {
        // Rows come in seq order, so the first row seen for a group is its lowest seq.
        const part: ArchivePart = {
          orgId: event.orgId,
          hourMs,
          keyAi: event.keyAi,
          keyValue: event.keyValue,
          shard: event.shard,
          firstSeq: row.seq,
        };
        planned = { key: archiveKey(part), part, events: [] };
        parts.set(group, planned);
      }
      planned.events.push(event);
    }
  }
  return [...parts.values()];
}
