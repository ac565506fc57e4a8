// D1 sessions through the Worker: every /v1 answer carries the session's bookmark, a client that
// sends it back reads its own writes, and a malformed bookmark is a 400 that writes nothing.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../support/accounts';
import { call, expectError } from '../support/http';

const BOOKMARK = /^[0-9a-f]+(-[0-9a-f]+)*$/i;
let key: string;
let orgId: string;

beforeAll(async () => {
  ({ ownerKey: key, orgId } = await createOrganization('Sessions Co'));
});

describe('D1 sessions', () => {
  it('answers reads and writes with a bookmark, and reads its own write from that bookmark', async () => {
    const read = await call('GET', '/v1/brands', { key });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-d1-bookmark')).toMatch(BOOKMARK);

    const write = await call('POST', '/v1/brands', { key, body: { name: 'Bookmarked' } });
    expect(write.status).toBe(201);
    const bookmark = write.headers.get('x-d1-bookmark')!;
    expect(bookmark).toMatch(BOOKMARK);
    const { id } = (await write.json()) as { id: string };

    const after = await call('GET', `/v1/brands/${id}`, { key, headers: { 'x-d1-bookmark': bookmark } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { name: string }).name).toBe('Bookmarked');
    // A bookmark never goes backwards.
    expect(after.headers.get('x-d1-bookmark')! >= bookmark).toBe(true);
  });

  for (const bad of ['not a bookmark', 'x'.repeat(300), '0000-', '../etc']) {
    it(`400s the malformed bookmark ${JSON.stringify(bad.slice(0, 20))} and writes nothing`, async () => {
      const res = await call('POST', '/v1/brands', {
        key,
        body: { name: `Never ${bad.length}` },
        headers: { 'x-d1-bookmark': bad },
      });
      await expectError(res, 400, 'bad_request');
      const rows = await env.DB.prepare('SELECT count(*) AS n FROM brands WHERE org_id = ? AND name = ?')
        .bind(orgId, `Never ${bad.length}`)
        .first<{ n: number }>();
      expect(rows?.n).toBe(0);
    });
  }
});
