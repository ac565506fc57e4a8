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
