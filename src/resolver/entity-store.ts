// Reads resolver entities from D1 (through the per-isolate cache) for one scan.

import { trustedOrgCondition } from '../accounts/company-prefix-store';
import { type BlockRow, CodeBlocks, NO_BLOCKS } from '../blocking/code-blocks';
import { cacheTtlMs } from '../cache/isolate-cache';
import { anyReplica } from '../db/d1-sessions';
import type { AiValue } from '../digital-link';
import { EntityCache, type KnownEntities, type LoadPaths, MAX_STALENESS_MS } from './entity-cache';
import { templateWildcards } from './qualifier-path';
import type { ResolverEntity, ResolverLink } from './resolver-types';

// Serialised keys whose stored value may be a prefix of the scanned one (GS1 Resolver CE's
// `{0}`/`{1}` convention, e.g. a GIAI registered as its company prefix).
const PREFIX_MATCH_KEYS = new Set(['00', '8003', '8004']);
const PREFIX_MARKER = '#prefix';
// Shortest stored prefix considered: a GS1 company prefix has at least 4 digits.
const MIN_PREFIX_LENGTH = 4;

let cache = new EntityCache(MAX_STALENESS_MS);
let currentTtlMs = MAX_STALENESS_MS;

/** Sets the isolate's cache TTL from configuration (RESOLVER_CACHE_TTL_SECONDS), at most 60 s. */
export function configureEntityCache(ttlSeconds: number | undefined): void {
  const ttlMs = cacheTtlMs(ttlSeconds);
  if (currentTtlMs !== ttlMs) {
    cache = new EntityCache(ttlMs);
    currentTtlMs = ttlMs;
  }
}

export function invalidateResolverKey(keyAi: string, keyValue: string): void {
  cache.invalidate(keyAi, keyValue, PREFIX_MATCH_KEYS.has(keyAi));
}

interface Row {
  e_id: string;
  org_id: string;
  key_ai: string;
  key_value: string;
  qualifier_path: string;
  qualifier_template: string;
  item_description: string;
  l_id: string | null;
  link_type: string | null;
  href: string | null;
  title: string | null;
  hreflang: string | null;
  context: string | null;
  media_type: string | null;
  is_default: number | null;
  forward_query: number | null;
}

const SELECT = `SELECT e.id AS e_id, e.org_id, e.key_ai, e.key_value, e.qualifier_path, e.qualifier_template, e.item_description,
  l.id AS l_id, l.link_type, l.href, l.title, l.hreflang, l.context, l.media_type, l.is_default, l.forward_query
  FROM dl_entities e LEFT JOIN dl_links l ON l.entity_id = e.id`;

function group(rows: Row[]): ResolverEntity[] {
  const byId = new Map<string, ResolverEntity>();
  for (const r of rows) {
    let entity = byId.get(r.e_id);
    if (!entity) {
      entity = {
        id: r.e_id,
        orgId: r.org_id,
        keyAi: r.key_ai,
        keyValue: r.key_value,
        qualifierPath: r.qualifier_path,
        qualifierTemplate: r.qualifier_template,
        wildcards: templateWildcards(r.qualifier_template),
        itemDescription: r.item_description,
        links: [],
      };
      byId.set(r.e_id, entity);
    }
    if (r.l_id !== null) {
      const link: ResolverLink = {
        id: r.l_id,
        linkType: r.link_type!,
        href: r.href!,
        title: r.title!,
        hreflang: JSON.parse(r.hreflang ?? '[]') as string[],
        context: JSON.parse(r.context ?? '[]') as string[],
        mediaType: r.media_type,
        isDefault: r.is_default === 1,
        forwardQuery: r.forward_query !== 0,
      };
      entity.links.push(link);
    }
  }
  return [...byId.values()];
}

// A key with at most this many levels has its list of stored paths cached (see EntityCache).
const MAX_CACHED_PATHS = 2_000;

function loader(primary: D1Database): LoadPaths {
  return async (keyAi, keyValue, paths, wantStoredPaths, wantBlocks) => {
    // A miss may read any replica (never one behind this isolate's own writes): what it loads is
    // trusted for the cache TTL anyway.
    const db = anyReplica(primary);
    const entities = new Map<string, ResolverEntity | null>(paths.map((p) => [p, null]));
    const exact = paths.filter((p) => p !== PREFIX_MARKER);
    // Only the key's prefix holder's data is ever served (src/accounts/company-prefix-store.ts).
    const trusted = trustedOrgCondition('e.org_id', { ai: keyAi, value: keyValue });
    const statements: D1PreparedStatement[] = [];
    if (exact.length > 0) {
      statements.push(
        db
          .prepare(
            `${SELECT} WHERE e.key_ai = ? AND e.key_value = ? AND e.qualifier_path IN (${exact.map(() => '?').join(',')}) AND ${trusted.sql} ORDER BY e.id, l.position`,
          )
          .bind(keyAi, keyValue, ...exact, ...trusted.params),
      );
    }
    if (wantStoredPaths) {
      statements.push(
        db
          .prepare(
            `SELECT qualifier_path FROM dl_entities e WHERE key_ai = ? AND key_value = ? AND ${trusted.sql} LIMIT ?`,
          )
          .bind(keyAi, keyValue, ...trusted.params, MAX_CACHED_PATHS + 1),
      );
    }
    // Only GTINs are blocked (src/blocking/), and only the prefix holder's blocks count.
    const readBlocks = wantBlocks && keyAi === '01';
    if (readBlocks) {
      const holder = trustedOrgCondition('b.org_id', { ai: keyAi, value: keyValue });
      statements.push(
        db
          .prepare(
            `SELECT b.id, b.org_id, b.lot, b.serial FROM blocked_codes b WHERE b.gtin = ? AND ${holder.sql}`,
          )
          .bind(keyValue, ...holder.params),
      );
    }
    // One round trip for all the reads.
    const results = statements.length > 0 ? await db.batch(statements) : [];
    const blockResult = readBlocks ? results.pop() : undefined;
    let storedPaths: ReadonlySet<string> | undefined;
    if (exact.length > 0)
      for (const entity of group(results[0]!.results as Row[])) entities.set(entity.qualifierPath, entity);
    if (wantStoredPaths) {
      const rows = results[results.length - 1]!.results as { qualifier_path: string }[];
      if (rows.length <= MAX_CACHED_PATHS) storedPaths = new Set(rows.map((r) => r.qualifier_path));
    }
    if (paths.includes(PREFIX_MARKER)) {
      const prefixes: string[] = [];
      for (let n = keyValue.length - 1; n >= MIN_PREFIX_LENGTH; n--) prefixes.push(keyValue.slice(0, n));
      if (prefixes.length > 0) {
        const { results: rows } = await db
          .prepare(
            `${SELECT} WHERE e.key_ai = ? AND e.matches_prefix = 1 AND e.qualifier_path = '' AND e.key_value IN (${prefixes.map(() => '?').join(',')}) AND ${trusted.sql} ORDER BY length(e.key_value) DESC, e.id, l.position`,
          )
          .bind(keyAi, ...prefixes, ...trusted.params)
          .all<Row>();
        entities.set(PREFIX_MARKER, group(rows)[0] ?? null); // the longest prefix wins
      }
    }
    const blocks = !wantBlocks
      ? undefined
      : blockResult
        ? new CodeBlocks(blockResult.results as unknown as BlockRow[])
        : NO_BLOCKS;
    return { entities, storedPaths, blocks };
  };
}

/** What the isolate's cache knows of the key's paths, from memory alone (no I/O); undefined when the key is not cached. */
export function cachedEntities(primaryKey: AiValue): KnownEntities | undefined {
  return cache.peek(primaryKey.ai, primaryKey.value);
}

/**
 * The entity a serialised key's scans fall back to when none is stored for the key itself: the
 * longest stored prefix of its value (null when there is none, an exact one exists, or the key
 * type does not match by prefix); undefined when `known` cannot tell yet.
 */
export function prefixEntityOf(known: KnownEntities, primaryKey: AiValue): ResolverEntity | null | undefined {
  if (!PREFIX_MATCH_KEYS.has(primaryKey.ai)) return null;
  const exact = known.at('');
  if (exact !== null) return exact === undefined ? undefined : null;
  return known.at(PREFIX_MARKER);
}

/**
 * Reads the key's `paths` through the cache (from D1 for what it does not know), and for a
 * serialised key with no entity of its own its prefix entity: the answer knows all of them.
 */
export async function loadEntities(
  db: D1Database,
  primaryKey: AiValue,
  paths: string[],
): Promise<KnownEntities> {
  const load = loader(db);
  const { byPath, blocks } = await cache.known(primaryKey.ai, primaryKey.value, paths, load);
  if (PREFIX_MATCH_KEYS.has(primaryKey.ai) && byPath.get('') === null) {
    byPath.set(
      PREFIX_MARKER,
      (await cache.get(primaryKey.ai, primaryKey.value, [PREFIX_MARKER], load)).get(PREFIX_MARKER) ?? null,
    );
  }
  return { at: (path) => byPath.get(path) ?? null, blocks: blocks ?? NO_BLOCKS };
}
