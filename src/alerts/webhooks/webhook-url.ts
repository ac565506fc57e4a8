// Where a webhook may point: an https URL on a public host. No plain http (the payload and its
// signature would travel in clear), no credentials in the URL, and no loopback, private,
// link-local or otherwise non-public address, so the API cannot be used to make our Worker call
// into someone's internal network (SSRF). Names are checked as written: a public name that
// resolves to a private address is the DNS owner's doing, and Workers' fetch does not reach
// private networks anyway; this check is the first line, not the only one.

// Names that never denote a public host (RFC 6761, RFC 8375, common internal suffixes).
const INTERNAL_SUFFIXES = [
  '.localhost',
  '.local',
  '.internal',
  '.intranet',
  '.lan',
  '.home.arpa',
  '.corp',
  '.test',
  '.invalid',
  '.example',
];

/** IPv4 blocks that are not publicly routable (RFC 6890 and friends), as [first octets, prefix]. */
const PRIVATE_V4: [number, number, number, number, number][] = [
  [0, 0, 0, 0, 8], // "this network"
  [10, 0, 0, 0, 8],
  [100, 64, 0, 0, 10], // carrier-grade NAT
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16], // link-local, cloud metadata endpoints
  [172, 16, 0, 0, 12],
  [192, 0, 0, 0, 24],
  [192, 0, 2, 0, 24], // TEST-NET-1
  [192, 88, 99, 0, 24],
  [192, 168, 0, 0, 16],
  [198, 18, 0, 0, 15], // benchmarking
  [198, 51, 100, 0, 24], // TEST-NET-2
  [203, 0, 113, 0, 24], // TEST-NET-3
  [224, 0, 0, 0, 4], // multicast
  [240, 0, 0, 0, 4], // reserved, broadcast
];

function v4Number(parts: number[]): number {
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function isPrivateIPv4(address: string): boolean {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const n = v4Number(parts);
  return PRIVATE_V4.some(([a, b, c, d, prefix]) => {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return (n & mask) >>> 0 === (v4Number([a, b, c, d]) & mask) >>> 0;
  });
}

/** The eight 16-bit groups of an IPv6 address (as the URL parser normalises it), or null. */
function v6Groups(address: string): number[] | null {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const p = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, -dotted[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail, ...rest] = text.split('::');
  if (rest.length > 0) return null;
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

export function isPrivateIPv6(address: string): boolean {
  const g = v6Groups(address);
  if (!g) return true; // unparseable: refuse
  const embeddedV4 = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g.slice(0, 7).every((x) => x === 0)) return true; // :: and ::1 (and IPv4-compatible, deprecated)
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPrivateIPv4(embeddedV4()); // IPv4-mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return isPrivateIPv4(embeddedV4()); // NAT64
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g[0]! & 0xff00) === 0xff00) return true; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  return false;
}

/** Why `raw` cannot be a webhook endpoint, or null when it can. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:') return 'must use https://';
  if (url.username || url.password)
    return 'must not carry credentials; put a token in the path or query instead';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('['))
    return isPrivateIPv6(host.slice(1, -1))
      ? 'must not point at a loopback, private or reserved address'
      : null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
    return isPrivateIPv4(host) ? 'must not point at a loopback, private or reserved address' : null;
  if (host === 'localhost' || INTERNAL_SUFFIXES.some((s) => host.endsWith(s)) || !host.includes('.')) {
    return 'must name a public host (not localhost or an internal name)';
  }
  return null;
}
