// The ranking rule of public search (PRODUCT.md C6), pure:
//
// 1. Relevance is a threshold, not the order. Of the products that match the words, those scoring
//    at least half (RELEVANCE_FLOOR) of the best match's relevance (FTS5 bm25) take part; weaker matches
//    (a word only deep in a long description) are dropped. A GTIN query has no such scores.
// 2. Available nearby first: products that a store within the radius has in stock (in_stock or
//    low_stock), ordered by their best store: distance in whole km (0–1 km, 1–2 km, …), then that
//    store's inventory confidence (confirmed, likely, uncertain), then exact distance. Banding by
//    the km is what lets confidence matter: on exact distances it would never break a tie, and a
//    count confirmed minutes ago 1.4 km away is a better answer than a week-old one 1.2 km away.
// 3. Then everything else (only out-of-stock stores nearby, or none), by relevance.
// Ties fall to relevance, then GTIN, so the order is total and pages never overlap.

import type { InventoryStatus } from '../db/schema';
import {
  INVENTORY_CONFIDENCES,
  type InventoryConfidence,
  inventoryConfidence,
} from '../inventory/inventory-confidence';
import { haversineKm, type Point } from './great-circle';

/**
 * Half the best match's bm25. bm25 saturates with term frequency, so a word in the name scores
 * only about 3× a word deep in a description; 0.5 keeps "both words in the name" and "one in the
 * name, one in the description" together and drops matches on descriptions alone.
 */
export const RELEVANCE_FLOOR = 0.5;
/** Stores listed per result: enough to offer a choice, few enough to keep the page light. */
export const STORES_PER_RESULT = 3;

export interface CandidateStore {
  name: string;
  line1: string;
  city: string;
  postalCode: string | null;
  country: string;
  lat: number;
  lng: number;
  price: number | null;
  currency: string | null;
  status: InventoryStatus;
  syncedAt: number;
}

export interface Candidate {
  gtin: string;
  orgId: string;
  productId: string;
  createdAt: number;
  /** The organisation has resolver links for this GTIN: its product is the one shown. */
  ownsLinks: boolean;
  name: string | null;
  brand: string | null;
  category: string | null;
  image: string | null;
  /** FTS5 bm25: negative, lower is better; 0 for GTIN queries. */
  score: number;
  /** Stores near the searcher that list this GTIN (prefiltered in SQL; any may be outside the radius). */
  stores: CandidateStore[];
}

export interface RankedStore extends CandidateStore {
  distanceKm: number;
  confidence: InventoryConfidence;
  available: boolean;
}

export interface RankedResult extends Omit<Candidate, 'stores'> {
  /** Nearest first by the ranking key, at most STORES_PER_RESULT. */
  stores: RankedStore[];
  availableNearby: boolean;
  /** To the nearest store with stock, else the nearest listing it; null when none is in the radius. */
  nearestStoreKm: number | null;
}

export interface RankOptions {
  center: Point;
  radiusKm: number;
  inStockOnly: boolean;
  now: number;
}

const isAvailable = (status: InventoryStatus) => status !== 'out_of_stock';
const confidenceRank = (c: InventoryConfidence) => INVENTORY_CONFIDENCES.indexOf(c);
const relevance = (c: { score: number }) => -c.score;

/** Stock first, then whole km, then confidence, then the exact distance. */
export function compareStores(a: RankedStore, b: RankedStore): number {
  return (
    Number(b.available) - Number(a.available) ||
    Math.floor(a.distanceKm) - Math.floor(b.distanceKm) ||
    confidenceRank(a.confidence) - confidenceRank(b.confidence) ||
    a.distanceKm - b.distanceKm
  );
}

export function compareResults(a: RankedResult, b: RankedResult): number {
  if (a.availableNearby !== b.availableNearby) return a.availableNearby ? -1 : 1;
  const byStore = a.availableNearby ? compareStores(a.stores[0]!, b.stores[0]!) : 0;
  return byStore || relevance(b) - relevance(a) || (a.gtin < b.gtin ? -1 : a.gtin > b.gtin ? 1 : 0);
}

/** One product per GTIN: the GTIN's owner (resolver links), else the earliest catalogued. */
function onePerGtin(candidates: Candidate[]): Candidate[] {
  const chosen = new Map<string, Candidate>();
  const better = (a: Candidate, b: Candidate) =>
    a.ownsLinks !== b.ownsLinks
      ? a.ownsLinks
      : a.createdAt !== b.createdAt
        ? a.createdAt < b.createdAt
        : a.productId < b.productId;
  for (const c of candidates) {
    const current = chosen.get(c.gtin);
    if (!current || better(c, current)) chosen.set(c.gtin, c);
  }
  return [...chosen.values()];
}

export function rankResults(candidates: Candidate[], options: RankOptions): RankedResult[] {
  const products = onePerGtin(candidates);
  const best = Math.max(0, ...products.map(relevance));
  const results: RankedResult[] = [];
  for (const product of products) {
    if (relevance(product) < RELEVANCE_FLOOR * best) continue;
    const inRadius = product.stores
      .map(
        (s): RankedStore => ({
          ...s,
          distanceKm: haversineKm(options.center, s),
          confidence: inventoryConfidence(s.syncedAt, options.now),
          available: isAvailable(s.status),
        }),
      )
      .filter((s) => s.distanceKm <= options.radiusKm && (s.available || !options.inStockOnly))
      .sort(compareStores);
    const availableNearby = inRadius[0]?.available ?? false;
    if (options.inStockOnly && !availableNearby) continue;
    const nearest = inRadius.filter((s) => s.available === availableNearby).map((s) => s.distanceKm);
    results.push({
      ...product,
      stores: inRadius.slice(0, STORES_PER_RESULT),
      availableNearby,
      nearestStoreKm: nearest.length > 0 ? Math.min(...nearest) : null,
    });
  }
  return results.sort(compareResults);
}
