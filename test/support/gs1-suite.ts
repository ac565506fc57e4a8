// The per-link checks of GS1's resolver test suite (GS1DL-resolver-testsuite), re-implemented
// from its description: fetch the linkset, walk up the identifier tree, and for every link type
// ask the resolver for it the way the suite does, comparing Location with the linkset's href.
import { expect } from 'vitest';
import { call } from './http';

type LinkObject = { href: string; title: string; type?: string; hreflang?: string[]; context?: string[] };
type Entry = Record<string, unknown> & { anchor: string };

const GS1_VOC = /https:\/\/(ref\.|www\.)?gs1\.org\/voc\//gi;

/** The suite compares Locations after removing a `linkType=<type>` parameter from both. */
function withoutLinkType(url: string, type: string): string {
  for (const t of [type, encodeURIComponent(type)]) {
    if (url.includes(`?linkType=${t}`)) return url.slice(0, url.indexOf(`?linkType=${t}`));
    const amp = url.indexOf(`&linkType=${t}`);
    if (amp !== -1) return url.slice(0, amp);
  }
  return url;
}

const same = (a: LinkObject, b: LinkObject, key: 'type' | 'hreflang' | 'context') => {
  const x = a[key];
  const y = b[key];
  if (x === undefined || y === undefined) return x === y;
  if (!Array.isArray(x)) return x === y;
  return x.every((v, i) => (y as string[])[i] === v);
};

export interface CheckResult {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  detail?: string;
}

/** Runs the suite's linkset walk for one DL path (no query) and returns every check's result. */
export async function runPerLinkChecks(dlPath: string, origin: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const res = await call('GET', dlPath, { headers: { accept: 'application/linkset+json' } });
  expect(res.status).toBe(200);
  const text = (await res.text()).replace(GS1_VOC, 'gs1:');
  const linkset = (JSON.parse(text) as { linkset: Entry[] }).linkset;

  const handled = new Set<string>();
  let path = dlPath;
  let defaultFound = false;
  while (path.split('/').filter(Boolean).length >= 2) {
    for (const entry of linkset.filter((e) => e.anchor === `${origin}${path}`)) {
      for (const [type, value] of Object.entries(entry)) {
        if (['anchor', 'itemDescription', 'description'].includes(type) || handled.has(type)) continue;
        handled.add(type);
        const objects = value as LinkObject[];
        if (type === 'gs1:defaultLink') {
          defaultFound = true;
          results.push({ id: 'singleDefaulLink', status: objects.length === 1 ? 'pass' : 'fail' });
          if (objects.length === 1) {
            const r = await call('GET', dlPath);
            const location = r.headers.get('location');
            results.push({
              id: 'defaultTarget',
              status: location === objects[0]!.href ? 'pass' : 'fail',
              detail: `${location} vs ${objects[0]!.href}`,
            });
          }
          continue;
        }
        // A "multi" default of one link makes no sense to the suite: a warning, and no request.
        if (type === 'gs1:defaultLinkMulti' && objects.length === 1) {
          results.push({ id: 'singleMultiLink', status: 'warn' });
          continue;
        }
        const name = `loFor${type.replace(':', '')}`;
        const ambiguous = new Set(
          objects.filter((o, i) =>
            objects.some(
              (p, j) => i !== j && same(o, p, 'type') && same(o, p, 'hreflang') && same(o, p, 'context'),
            ),
          ),
        );
        let ambiguousTested = false;
        for (const [n, object] of objects.entries()) {
          const id = objects.length === 1 ? name : `${name}${n}`;
          if (ambiguous.has(object) && ambiguousTested) continue;
          const headers: Record<string, string> = { accept: object.type ?? 'undefined' };
          if (object.hreflang?.[0]) headers['accept-language'] = object.hreflang[0];
          // The suite asks for gs1:defaultLinkMulti links with no linkType at all (a bare "?").
          const query = type === 'gs1:defaultLinkMulti' ? '?' : `?linkType=${type}`;
          const r = await call('GET', `${dlPath}${query}`, { headers });
          const location = r.headers.get('location');
          if (ambiguous.has(object)) {
            ambiguousTested = true;
            results.push({ id, status: r.status === 300 ? 'pass' : 'warn', detail: `status ${r.status}` });
          } else if (location && withoutLinkType(location, type) === withoutLinkType(object.href, type)) {
            results.push({ id, status: 'pass' });
          } else {
            results.push({
              id,
              status: r.status === 300 ? 'warn' : 'fail',
              detail: `${r.status} ${location} vs ${object.href}`,
            });
          }
        }
      }
    }
    path = path.split('/').slice(0, -2).join('/');
  }
  results.push({ id: 'defaultLinkExists', status: defaultFound ? 'pass' : 'fail' });
  return results;
}
