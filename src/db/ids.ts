// Ids are a short type prefix plus 20 random base32 characters (100 bits): unguessable, and a
// glance at an id says what it belongs to (`org_…`, `key_…`, `brd_…`).
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBase32(20)}`;
}
