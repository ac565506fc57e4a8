// Where a webhook may point: an https URL on a public host. No plain http (the payload and its
// signature would travel in clear), no credentials in the URL, and no loopback, private,
// link-local or otherwise non-public address, so the API cannot be used to make our Worker call
// into someone's internal network (SSRF). Names are checked as written: a public name that
// resolves to a private address is the DNS owner's doing, and Workers' fetch does not reach
// private networks anyway; this check is the first line, not the only one.

import ipaddr from 'ipaddr.js';

// Names that never denote a public host: special-use names (RFC 6761, RFC 7686 .onion, RFC 8375
// home.arpa) and the suffixes internal networks and clusters use (.svc: Kubernetes services).
const INTERNAL_SUFFIXES = [
  '.localhost',
  '.local',
  '.localdomain',
  '.internal',
  '.intranet',
  '.lan',
  '.home',
  '.home.arpa',
  '.corp',
  '.test',
  '.invalid',
  '.example',
  '.onion',
  '.svc',
];

/** IPv6 global unicast (RFC 4291 §2.4): anything outside 2000::/3 is not a public host. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/** ipaddr.js names every special-purpose block (RFC 6890 and later); only `unicast` is public. */
export function isPrivateIPv4(address: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
  return ipaddr.IPv4.parse(address).range() !== 'unicast';
}

export function isPrivateIPv6(address: string): boolean {
  if (!ipaddr.IPv6.isValid(address)) return true; // unparseable: refuse
  const ip = ipaddr.IPv6.parse(address);
  // An IPv4 address in IPv6 clothing is judged as the IPv4 address it reaches.
  if (ip.isIPv4MappedAddress()) return isPrivateIPv4(ip.toIPv4Address().toString());
  // 6to4, Teredo and NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) tunnel to an IPv4
  // address a caller chooses; none is a host of its own.
  return ip.range() !== 'unicast' || !ip.match(GLOBAL_UNICAST);
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
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
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
