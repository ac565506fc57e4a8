// GET /v1/analytics/scans/recalls: each recalled lot's human scans since the recall, per UTC day
// and country, unique scanners and the lot's alert state, scoped to the caller's organisation.
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { recordScans } from '../support/recorded-scans';

const DAY_MS = 86_400_000;
const SOUP = '09506000134352';
const TEA = '09506000134369';
const utcDay = (ms: number) => new Date(ms - (ms % DAY_MS)).toISOString().slice(0, 10);
// Midday five UTC days ago: every scan below is in the past, on a known day. Read in beforeAll,
// after I/O: workerd's clock stands still between I/O, and a module's top level can run long before.
let today: number;
let RECALLED_AT: number;
const hoursAfter = (h: number) => RECALLED_AT + h * 3_600_000;

let org: TestOrg;
let other: TestOrg;
let reader: string;

interface RecallRow {
  gtin: string;
  lot: string;
  scans_since_recall: number;
  unique_scanners_since_recall: number;
  series: { day: string; scans: number }[];
  countries: { country: string; scans: number }[];
  alert: { status: string; severity: string; occurrences: number; last_seen_at: string } | null;
}

async function recalls(query = '', key = reader): Promise<RecallRow[]> {
  const res = await call('GET', `/v1/analytics/scans/recalls${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json<{ rows: RecallRow[] }>()).rows;
}

async function product(o: TestOrg, gtin: string, lots: { lot: string; recalled_at: string }[]) {
  const res = await call('POST', '/v1/products', {
    key: o.ownerKey,
    body: { gtin, fields: { name: { value: `Product ${gtin}` } }, recalled_lots: lots },
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  org = await createOrganization('Recalling Foods');
  today = Date.now() - (Date.now() % DAY_MS);
  RECALLED_AT = today - 5 * DAY_MS + 12 * 3_600_000;
  other = await createOrganization('Other Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  const recalledAt = new Date(RECALLED_AT).toISOString();
  await product(org, SOUP, [{ lot: 'R1', recalled_at: recalledAt }]);
  await product(org, TEA, [{ lot: 'T9', recalled_at: new Date(today - DAY_MS).toISOString() }]);
  // Another organisation recalls the same GTIN's lot name: none of its scans are ours.
  await product(other, SOUP, [{ lot: 'R1', recalled_at: recalledAt }]);
  const o = org.orgId;
  await recordScans([
    // Before the recall (the same UTC day, and the day before): not counted.
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(-2), country: 'FR', scannerHash: 'a' },
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(-30), country: 'FR', scannerHash: 'a' },
    // After: two people in France (one twice), one in Germany, one not located.
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(1), country: 'FR', scannerHash: 'p1' },
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(2), country: 'FR', scannerHash: 'p1' },
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(50), country: 'FR', scannerHash: 'p2' },
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(51), country: 'DE', scannerHash: 'p3' },
    { orgId: o, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(75), scannerHash: 'p4' },
    // A bot after the recall, and another lot: not counted.
    {
      orgId: o,
      keyValue: SOUP,
      lot: 'R1',
      occurredAt: hoursAfter(3),
      country: 'US',
      isBot: true,
      deviceClass: 'bot',
      app: null,
      scannerHash: 'bot',
    },
    { orgId: o, keyValue: SOUP, lot: 'OK2', occurredAt: hoursAfter(4), country: 'FR', scannerHash: 'p5' },
  ]);
  await recordScans([
    { orgId: other.orgId, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(5), country: 'IT' },
    { orgId: other.orgId, keyValue: SOUP, lot: 'R1', occurredAt: hoursAfter(6), country: 'IT' },
  ]);
});

describe('recalled lots since their recall', () => {
  it("counts the lot's human scans since the recall, per UTC day and per country", async () => {
    const soup = (await recalls()).find((r) => r.gtin === SOUP)!;
    expect(soup).toMatchObject({ lot: 'R1', scans_since_recall: 5 });
    expect(soup.series).toEqual([
      { day: utcDay(RECALLED_AT), scans: 2 },
      { day: utcDay(RECALLED_AT + DAY_MS), scans: 0 },
      { day: utcDay(RECALLED_AT + 2 * DAY_MS), scans: 2 },
      { day: utcDay(RECALLED_AT + 3 * DAY_MS), scans: 1 },
      { day: utcDay(RECALLED_AT + 4 * DAY_MS), scans: 0 },
      { day: utcDay(today), scans: 0 },
    ]);
    expect(soup.countries).toEqual([
      { country: 'FR', scans: 3 },
      { country: 'DE', scans: 1 },
      { country: 'unknown', scans: 1 },
    ]);
  });

  it("counts each person once a day, the recall's day whole (sketches are per UTC day)", async () => {
    const soup = (await recalls()).find((r) => r.gtin === SOUP)!;
    // Recall day: a (before the recall) and p1 (twice); two days on p2, p3; then p4. Not the bot.
    expect(soup.unique_scanners_since_recall).toBe(5);
  });

  it("carries the lot's recalled-lot alert, and none for a lot nobody scanned", async () => {
    const rows = await recalls();
    expect(rows.find((r) => r.gtin === SOUP)!.alert).toMatchObject({ status: 'open', severity: 'low' });
    const tea = rows.find((r) => r.gtin === TEA)!;
    expect(tea).toMatchObject({
      lot: 'T9',
      scans_since_recall: 0,
      unique_scanners_since_recall: 0,
      alert: null,
    });
    expect(tea.series).toEqual([
      { day: utcDay(today - DAY_MS), scans: 0 },
      { day: utcDay(today), scans: 0 },
    ]);
    expect(tea.countries).toEqual([]);
  });

  it('filters by GTIN and lot', async () => {
    expect((await recalls(`?gtin=${TEA}`)).map((r) => r.lot)).toEqual(['T9']);
    expect((await recalls('?lot=R1')).map((r) => r.gtin)).toEqual([SOUP]);
    expect(await recalls(`?gtin=${TEA}&lot=R1`)).toEqual([]);
  });

  it("shows each organisation only its own lots' scans", async () => {
    const theirs = await recalls('', other.ownerKey);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({
      gtin: SOUP,
      lot: 'R1',
      scans_since_recall: 2,
      alert: expect.anything(),
    });
    expect(theirs[0]!.countries).toEqual([{ country: 'IT', scans: 2 }]);
    const empty = await createOrganization('Nothing Recalled');
    expect(await recalls('', empty.ownerKey)).toEqual([]);
  });

  it.each([
    ['an unknown parameter', '?from=2026-01-01', 'query'],
    ['a GTIN with a wrong check digit', '?gtin=09506000134353', 'gtin'],
    ['a GTIN of letters', '?gtin=abc', 'gtin'],
    ['an empty lot', '?lot=', 'lot'],
    ['a lot longer than 20 characters', `?lot=${'L'.repeat(21)}`, 'lot'],
  ])('answers 400 to %s', async (_, query, path) => {
    const res = await call('GET', `/v1/analytics/scans/recalls${query}`, { key: reader });
    const error = await expectError(res, 400, 'validation_failed');
    expect(JSON.stringify(error.details)).toContain(path === 'query' ? 'from' : path);
  });

  it('needs a key', async () => {
    await expectError(await call('GET', '/v1/analytics/scans/recalls'), 401, 'unauthorized');
  });
});
