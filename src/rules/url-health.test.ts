import { describe, expect, it } from 'vitest';
import { checkUrl, type Fetcher } from './url-health';

/** A fetcher answering by method, recording what it was asked. */
function server(byMethod: Record<string, number | Error | 'hang'>) {
  const calls: string[] = [];
  const fetcher: Fetcher = (_url, init) => {
    const method = init.method ?? 'GET';
    calls.push(method);
    const answer = byMethod[method];
    if (answer === 'hang') {
      return new Promise((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    }
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(new Response(method === 'HEAD' ? null : 'body', { status: answer ?? 200 }));
  };
  return { calls, fetcher };
}

describe('checkUrl', () => {
  it('is satisfied by a HEAD that answers', async () => {
    const { calls, fetcher } = server({ HEAD: 200 });
    expect(await checkUrl('https://x.example/', fetcher)).toEqual({ ok: true, status: 200, error: null });
    expect(calls).toEqual(['HEAD']);
  });

  it('counts a redirect as alive (it is not followed)', async () => {
    const { fetcher } = server({ HEAD: 301 });
    expect((await checkUrl('https://x.example/', fetcher)).ok).toBe(true);
  });

  it('retries a failed HEAD as GET', async () => {
    const { calls, fetcher } = server({ HEAD: 404, GET: 200 });
    expect(await checkUrl('https://x.example/', fetcher)).toEqual({ ok: true, status: 200, error: null });
    expect(calls).toEqual(['HEAD', 'GET']);
  });

  it('fails on 404, 410 and 5xx, and on a network error', async () => {
    expect(await checkUrl('https://x.example/', server({ HEAD: 410, GET: 410 }).fetcher)).toEqual({
      ok: false,
      status: 410,
      error: null,
    });
    expect((await checkUrl('https://x.example/', server({ HEAD: 503, GET: 502 }).fetcher)).status).toBe(502);
    expect(
      await checkUrl(
        'https://x.example/',
        server({ HEAD: new Error('connection refused'), GET: new Error('connection refused') }).fetcher,
      ),
    ).toEqual({
      ok: false,
      status: null,
      error: 'connection refused',
    });
  });

  it('treats other 4xx (a server refusing checkers) as alive', async () => {
    for (const status of [401, 403, 405, 429]) {
      expect(
        (await checkUrl('https://x.example/', server({ HEAD: status, GET: status }).fetcher)).ok,
        String(status),
      ).toBe(true);
    }
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const result = await checkUrl('https://x.example/', server({ HEAD: 'hang', GET: 'hang' }).fetcher, 20);
    expect(result).toEqual({ ok: false, status: null, error: 'no answer within 20 ms' });
  });
});
