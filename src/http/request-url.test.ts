import { describe, expect, it } from 'vitest';
import { firstPathSegment, splitRequestUrl } from './request-url';

// Every case is checked against the platform's own URL parser: the helper must agree with it.
const URLS = [
  'https://id.example.com/01/09506000134352',
  'https://id.example.com/01/09506000134352/10/ABC%2F1/21/x?17=261231&linkType=gs1:pip',
  'http://127.0.0.1:8787/',
  'http://127.0.0.1:8787/?',
  'http://127.0.0.1:8787/?a=1',
  'http://localhost/v1/links?cursor=abc#frag',
  'https://h.example/01/1?#x',
  'https://h.example/p/01/09506000134352/10/L%201',
  'https://h.example/path/with/?query/slashes/?and?marks',
  'https://user:pw@h.example:444/01/09506000134352',
];

describe('splitRequestUrl', () => {
  it.each(URLS)('agrees with new URL() on %s', (href) => {
    const normalised = new URL(href).href; // what request.url holds
    const url = new URL(normalised);
    const split = splitRequestUrl(normalised);
    expect(split.pathname).toBe(url.pathname);
    expect(split.search).toBe(url.search);
    expect(split.origin).toBe(url.origin);
  });

  it('gives the origin a redirect or linkset anchor uses', () => {
    expect(splitRequestUrl('https://id.example.com/01/09506000134352?x=1').origin).toBe(
      'https://id.example.com',
    );
    expect(splitRequestUrl('http://127.0.0.1:8787/').origin).toBe('http://127.0.0.1:8787');
  });
});

describe('firstPathSegment', () => {
  it.each([
    ['https://h.example/v1/links?x=1', 'v1'],
    ['https://h.example/v1', 'v1'],
    ['https://h.example/v1?x', 'v1'],
    ['https://h.example/01/09506000134352', '01'],
    ['https://h.example/', ''],
    ['https://h.example/?v1', ''],
    ['https://h.example/webhooks/pos/square/x', 'webhooks'],
    ['https://h.example/dashboard#x', 'dashboard'],
  ])('%s → %s', (href, segment) => {
    expect(firstPathSegment(href)).toBe(segment);
  });
});
