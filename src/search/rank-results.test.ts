import { describe, expect, it } from 'vitest';
import { type Candidate, type CandidateStore, rankResults } from './rank-results';

const NOW = Date.UTC(2026, 10, 1);
const center = { lat: 0, lng: 0 };
const KM = 1 / 111.19508; // degrees of latitude per km

const store = (
  km: number,
  minutesAgo: number,
  status: CandidateStore['status'] = 'in_stock',
): CandidateStore => ({
  name: `${km} km`,
  line1: '',
  city: '',
  postalCode: null,
  country: 'FR',
  lat: km * KM,
  lng: 0,
  price: null,
  currency: null,
  status,
  syncedAt: NOW - minutesAgo * 60_000,
});

const product = (
  gtin: string,
  score: number,
  stores: CandidateStore[],
  extra: Partial<Candidate> = {},
): Candidate => ({
  gtin,
  orgId: 'org',
  productId: `prd_${gtin}`,
  createdAt: 0,
  ownsLinks: false,
  name: gtin,
  brand: null,
  category: null,
  image: null,
  score,
  stores,
  ...extra,
});

const rank = (candidates: Candidate[], inStockOnly = false) =>
  rankResults(candidates, { center, radiusKm: 10, inStockOnly, now: NOW }).map((r) => r.gtin);

describe('rankResults', () => {
  it('orders available products by whole km, then confidence, then distance; relevance breaks ties', () => {
    expect(
      rank([
        product('a', -1, [store(1.9, 10)]), // 1–2 km, confirmed
        product('b', -1, [store(1.1, 3000)]), // 1–2 km, uncertain
        product('c', -1, [store(0.9, 3000)]), // 0–1 km, uncertain
        product('d', -1, [store(1.5, 120)]), // 1–2 km, likely
        product('e', -2, [store(1.9, 10)]), // as a, more relevant
      ]),
    ).toEqual(['c', 'e', 'a', 'd', 'b']);
  });

  it('puts products without stock in the radius after, by relevance', () => {
    expect(
      rank([
        product('far', -3, [store(12, 10)]),
        product('out', -2, [store(0.1, 10, 'out_of_stock')]),
        product('none', -4, []),
        product('near', -2, [store(5, 10)]),
      ]),
    ).toEqual(['near', 'none', 'far', 'out']);
    expect(
      rank([product('out', -2, [store(0.1, 10, 'out_of_stock')]), product('near', -2, [store(5, 10)])], true),
    ).toEqual(['near']);
  });

  it('drops matches under half the best relevance, and keeps one product per GTIN', () => {
    expect(
      rank([product('strong', -4, []), product('half', -2, []), product('weak', -1.9, [store(0.1, 1)])]),
    ).toEqual(['strong', 'half']);
    const ranked = rankResults(
      [
        product('x', -1, [], { productId: 'p1', createdAt: 1 }),
        product('x', -1, [], { productId: 'p2', createdAt: 2, ownsLinks: true }),
      ],
      { center, radiusKm: 10, inStockOnly: false, now: NOW },
    );
    expect(ranked.map((r) => r.productId)).toEqual(['p2']);
  });
});
