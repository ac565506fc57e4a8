// The N largest values of a breakdown, the rest summed as "other" (pure).
export interface Count {
  value: string;
  scans: number;
}

export function topN(counts: Count[], n: number): Count[] {
  const sorted = [...counts].sort((a, b) => b.scans - a.scans || a.value.localeCompare(b.value));
  if (sorted.length <= n) return sorted;
  const rest = sorted.slice(n).reduce((sum, c) => sum + c.scans, 0);
  return [...sorted.slice(0, n), { value: 'other', scans: rest }];
}

export interface ComparedCount extends Count {
  previous: number;
}

/**
 * topN of `counts`, each row with its scans in the compared period; "other" compares with the
 * compared period's scans of every value not named, so both columns add up to their totals.
 */
export function topNCompared(counts: Count[], previousCounts: Count[], n: number): ComparedCount[] {
  const previous = new Map<string, number>();
  for (const c of previousCounts) previous.set(c.value, (previous.get(c.value) ?? 0) + c.scans);
  const rows = topN(counts, n);
  const named = counts.length > n ? rows.slice(0, n) : rows;
  const namedPrevious = named.reduce((sum, r) => sum + (previous.get(r.value) ?? 0), 0);
  const previousTotal = [...previous.values()].reduce((a, b) => a + b, 0);
  const compared = named.map((r) => ({ ...r, previous: previous.get(r.value) ?? 0 }));
  const rest = previousTotal - namedPrevious;
  if (counts.length > n) compared.push({ value: 'other', scans: rows[n]!.scans, previous: rest });
  else if (rest > 0) compared.push({ value: 'other', scans: 0, previous: rest });
  return compared;
}
