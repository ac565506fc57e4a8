// A blocked code as the API shows it (GET/POST /v1/blocked-codes), and its response schema.
import * as z from 'zod';
import type { BlockedCode } from '../db/schema';
import { BLOCK_SOURCES } from '../db/schema';
import { CANONICAL_STEM, escapeUriComponent } from '../digital-link';
import { timestamp } from '../http/response-schemas';
import { isoOrNull } from '../time/iso-time';

export const blockedCodeView = z
  .object({
    id: z.string(),
    gtin: z.string(),
    lot: z.string().nullable().meta({ description: 'Lot blocks only' }),
    serial: z.string().nullable().meta({ description: 'Serial blocks (every lot of the serial)' }),
    level: z.enum(['gtin', 'lot', 'serial']),
    digital_link: z.string().meta({ description: 'The blocked code, as a canonical Digital Link URI' }),
    reason: z.string(),
    source: z.enum(BLOCK_SOURCES).meta({ description: 'api, or auto (an alert with auto_block on)' }),
    alert_id: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'BlockedCode' });

export function levelOf(row: Pick<BlockedCode, 'lot' | 'serial'>): 'gtin' | 'lot' | 'serial' {
  return row.serial !== '' ? 'serial' : row.lot !== '' ? 'lot' : 'gtin';
}

const segment = (v: string) => escapeUriComponent(v, 'path');

export function presentBlockedCode(row: BlockedCode) {
  const level = levelOf(row);
  const path =
    level === 'serial' ? `/21/${segment(row.serial)}` : level === 'lot' ? `/10/${segment(row.lot)}` : '';
  return {
    id: row.id,
    gtin: row.gtin,
    lot: row.lot === '' ? null : row.lot,
    serial: row.serial === '' ? null : row.serial,
    level,
    digital_link: `${CANONICAL_STEM}/01/${row.gtin}${path}`,
    reason: row.reason,
    source: row.source,
    alert_id: row.alertId,
    created_at: isoOrNull(row.createdAt),
  };
}
