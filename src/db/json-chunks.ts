// Bulk writes bind a whole chunk of rows as ONE JSON parameter and expand it in SQL with
// json_each. D1 binds at most 100 parameters per statement, so binding column by column would
// take a statement per 4 products (2,500 statements for 10,000 of them); this takes a handful.
// A chunk stays under D1's 2 MB limit on one string value, with room to spare.
export const MAX_JSON_CHUNK_BYTES = 1_000_000;

const encoder = new TextEncoder();

/** `rows` as JSON arrays of at most `maxBytes` UTF-8 bytes each (a single larger row gets its own chunk). */
export function jsonChunks(rows: readonly unknown[], maxBytes = MAX_JSON_CHUNK_BYTES): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let bytes = 2; // the brackets
  for (const row of rows) {
    const json = JSON.stringify(row);
    const size = encoder.encode(json).length + 1; // the comma
    if (parts.length > 0 && bytes + size > maxBytes) {
      chunks.push(`[${parts.join(',')}]`);
      parts = [];
      bytes = 2;
    }
    parts.push(json);
    bytes += size;
  }
  if (parts.length > 0) chunks.push(`[${parts.join(',')}]`);
  return chunks;
}
