// Registering the serials a brand issued (the never-issued detector's reference): ranges and lists,
// validation, limits, and organisation scoping.
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { addAlertProduct, alertGtin, alertsOf } from '../support/alerts';
import { call, expectError } from '../support/http';
import { recordScans } from '../support/recorded-scans';

const gtin = (n: number) => alertGtin(300 + n); // this file: 300–399

let org: TestOrg;
beforeAll(async () => {
  org = await createOrganization('Serial Foods');
});

const register = (key: string, body: unknown) => call('POST', '/v1/issued-serials', { key, body });

describe('issued serials API', () => {
  it('registers ranges and lists, lists them without the serials, shows one with them, deletes', async () => {
    const g = gtin(1);
    await addAlertProduct(org.ownerKey, g);
    const range = await register(org.ownerKey, {
      kind: 'range',
      gtin: g,
      first: '000100',
      last: 199,
      note: 'Run 1',
    });
    expect(range.status).toBe(201);
    expect(await range.json()).toMatchObject({
      kind: 'range',
      gtin: g,
      first: '100',
      last: '199',
      serial_count: 100,
      note: 'Run 1',
    });
    const list = await register(org.ownerKey, {
      kind: 'list',
      gtin: g.slice(1),
      serials: ['AB1', 'AB2', 'AB1'],
    }); // GTIN-13 form accepted
    expect(list.status).toBe(201);
    const listed = await list.json<{ id: string; serial_count: number; serials: string[] }>();
    expect(listed).toMatchObject({ kind: 'list', gtin: g, serial_count: 2, serials: ['AB1', 'AB2'] });

    const all = await (await call('GET', `/v1/issued-serials?gtin=${g}`, { key: org.ownerKey })).json<{
      data: Record<string, unknown>[];
    }>();
    expect(all.data.map((r) => r.kind)).toEqual(['list', 'range']);
    expect(all.data[0]).not.toHaveProperty('serials');
    const one = await (await call('GET', `/v1/issued-serials/${listed.id}`, { key: org.ownerKey })).json();
    expect(one).toMatchObject({ serials: ['AB1', 'AB2'] });

    expect((await call('DELETE', `/v1/issued-serials/${listed.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(
      await call('GET', `/v1/issued-serials/${listed.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('DELETE', `/v1/issued-serials/${listed.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
  });

  it('feeds the detector: with a list registered, an unlisted alphanumeric serial was never issued', async () => {
    const g = gtin(2);
    await addAlertProduct(org.ownerKey, g);
    expect((await register(org.ownerKey, { kind: 'list', gtin: g, serials: ['K-1', 'K-2'] })).status).toBe(
      201,
    );
    await recordScans([
      { keyValue: g, orgId: org.orgId, occurredAt: Date.UTC(2026, 6, 1), serial: 'K-2' },
      { keyValue: g, orgId: org.orgId, occurredAt: Date.UTC(2026, 6, 1, 1), serial: 'K-9' },
    ]);
    expect((await alertsOf(org.ownerKey, g)).map((a) => [a.type, a.serial])).toEqual([
      ['serial_not_issued', 'K-9'],
    ]);
  });

  it('answers 400 for bad registrations', async () => {
    const g = gtin(3);
    await addAlertProduct(org.ownerKey, g);
    for (const body of [
      { kind: 'range', gtin: g, first: '200', last: '100' },
      { kind: 'range', gtin: g, first: 'A1', last: '100' },
      { kind: 'range', gtin: g, first: '1', last: '123456789012345678901' },
      { kind: 'range', gtin: g, first: -1, last: 5 },
      { kind: 'list', gtin: g, serials: [] },
      { kind: 'list', gtin: g, serials: ['has space'] },
      { kind: 'list', gtin: g, serials: ['x'.repeat(21)] },
      { kind: 'list', gtin: g, serials: Array.from({ length: 10_001 }, (_, i) => `S${i}`) },
      { kind: 'set', gtin: g, serials: ['A'] },
      { kind: 'list', gtin: '09506000134353', serials: ['A'] },
      { kind: 'range', gtin: g, first: 1, last: 2, extra: true },
    ]) {
      await expectError(await register(org.ownerKey, body), 400, 'validation_failed');
    }
  });

  it('needs an editor key to write, and a GTIN of the caller’s own', async () => {
    const g = gtin(4);
    await addAlertProduct(org.ownerKey, g);
    const reader = await insertKey(org.orgId, 'readonly');
    await expectError(
      await register(reader.key, { kind: 'range', gtin: g, first: 1, last: 9 }),
      403,
      'forbidden',
    );
    const stranger = await createOrganization('Copy Foods');
    await expectError(
      await register(stranger.ownerKey, { kind: 'range', gtin: g, first: 1, last: 9 }),
      404,
      'not_found',
    );
    const created = await (await register(org.ownerKey, { kind: 'range', gtin: g, first: 1, last: 9 })).json<{
      id: string;
    }>();
    await expectError(
      await call('GET', `/v1/issued-serials/${created.id}`, { key: stranger.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('DELETE', `/v1/issued-serials/${created.id}`, { key: stranger.ownerKey }),
      404,
      'not_found',
    );
    expect(
      (
        await (
          await call('GET', '/v1/issued-serials', { key: stranger.ownerKey })
        ).json<{ data: unknown[] }>()
      ).data,
    ).toEqual([]);
  });
});
