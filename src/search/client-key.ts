// Who "a client" is for rate limiting, without keeping who they are: the CF-Connecting-IP address
// (its /64 network for IPv6, since one subscriber commonly holds a whole /64 and could otherwise
// rotate through 2^64 addresses), HMAC-SHA256-hashed under a secret with the UTC day in the
// message. The hash names the client's RateLimiter object; the address itself is never stored.
import { hmacSha256Hex } from '../crypto/hmac-sha256';

/** An IPv4 address as is; an IPv6 address as its /64 network (`2001:db8:0:1::/64`). */
export function clientNetwork(address: string): string {
  const ip = address.trim().toLowerCase();
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail = ''] = ip.split('::', 2);
  const groups = (part: string) => (part ? part.split(':') : []);
  const size = (parts: string[]) => parts.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0); // an embedded IPv4 is two groups
  const h = groups(head);
  const t = groups(tail);
  const all = ip.includes('::')
    ? [...h, ...Array<string>(Math.max(0, 8 - size(h) - size(t))).fill('0'), ...t]
    : h;
  const prefix = all.slice(0, 4).map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16).toString(16) : g));
  return `${prefix.join(':')}::/64`;
}

// WebCrypto refuses an empty HMAC key. Without the secret the hash is still one-way, but anyone
// could recompute it from an address: set SCANNER_HASH_SECRET in every deployment (README).
const UNSET_SECRET = 'digital-link-edge: SCANNER_HASH_SECRET is not set';
let warnedNoSecret = false;

export async function clientKey(secret: string, at: number, address: string): Promise<string> {
  if (!secret && !warnedNoSecret) {
    warnedNoSecret = true;
    console.warn('SCANNER_HASH_SECRET is not set: rate-limit client hashes use a public key');
  }
  const day = Math.floor(at / 86_400_000);
  return hmacSha256Hex(secret || UNSET_SECRET, `rate-limit|${day}|${clientNetwork(address)}`, 16);
}
