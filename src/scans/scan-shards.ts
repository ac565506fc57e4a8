// Which ScanCounter a scan goes to. One object per key by default; a hot key spreads over
// several (SCAN_SHARDS, or SCAN_SHARD_OVERRIDES = {"01/09506000134352": 8}). Scans of one
// serial always land in the same shard, so per-serial counts (and the anomaly detectors that
// read them) stay whole; readers sum the shards.
export interface ShardConfig {
  SCAN_SHARDS?: string;
  SCAN_SHARD_OVERRIDES?: string;
}

const MAX_SHARDS = 64;
let parsedOverrides: { raw: string; map: Record<string, number> } | undefined;

export function shardCount(env: ShardConfig, keyAi: string, keyValue: string): number {
  const raw = env.SCAN_SHARD_OVERRIDES ?? '';
  if (raw && parsedOverrides?.raw !== raw) {
    try {
      parsedOverrides = { raw, map: JSON.parse(raw) as Record<string, number> };
    } catch {
      parsedOverrides = { raw, map: {} };
    }
  }
  const n = (raw ? parsedOverrides?.map[`${keyAi}/${keyValue}`] : undefined) ?? Number(env.SCAN_SHARDS ?? 1);
  return Math.min(MAX_SHARDS, Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));
}

/** FNV-1a: a fast, well-spread string hash; shard choice needs no cryptography. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function shardOf(shards: number, spreadKey: string): number {
  return shards === 1 ? 0 : fnv1a(spreadKey) % shards;
}

export function counterName(keyAi: string, keyValue: string, shard: number): string {
  return `${keyAi}/${keyValue}#${shard}`;
}
