/** Epoch milliseconds (how D1 stores times) to ISO 8601 (how the API shows them); null stays null. */
export function isoOrNull(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
