import { describe, expect, it } from 'vitest';
import { gs1DateEnd } from '../../digital-link/gs1-dates';
import { DEFAULT_ALERT_SETTINGS } from '../alert-settings';
import { detectExpiredProduct } from './expired-product';
import { testScan } from './test-scans';

const DAY = 86_400_000;
const SCAN = Date.UTC(2026, 11, 2, 12, 0); // 2026-12-02 12:00 UTC
const settings = DEFAULT_ALERT_SETTINGS.expired_product;

describe('gs1DateEnd', () => {
  it.each([
    ['17', '261201', Date.UTC(2026, 11, 2)],
    ['17', '261231', Date.UTC(2027, 0, 1)],
    ['15', '260200', Date.UTC(2026, 2, 1)], // DD 00: the month's last day (28 February 2026)
    ['15', '280200', Date.UTC(2028, 2, 1)], // 29 February in a leap year
    ['16', '991231', Date.UTC(2000, 0, 1)], // 99 is 73 years ahead of 26: last century
    ['17', '760101', Date.UTC(2076, 0, 2)], // 50 ahead: this century
    ['17', '770101', Date.UTC(1977, 0, 2)], // 51 ahead: last century
    ['7003', '2612021130', Date.UTC(2026, 11, 2, 11, 31)],
  ])('(%s) %s ends at %s', (ai, value, end) => {
    expect(gs1DateEnd(ai, value, SCAN)).toBe(end);
  });

  it.each([
    ['17', '2612'],
    ['17', '26120A'],
    ['17', '261301'],
    ['17', '260001'],
    ['17', '260230'],
    ['7003', '261202'],
    ['7003', '2612022460'],
    ['7003', '2612020099'],
    ['7003', '2602300000'],
  ])('(%s) %s is not a date', (ai, value) => {
    expect(gs1DateEnd(ai, value, SCAN)).toBeNull();
  });

  it('takes the century from the scan’s year, not today’s', () => {
    expect(gs1DateEnd('17', '010101', Date.UTC(2099, 0, 1))).toBe(Date.UTC(2101, 0, 2));
    expect(gs1DateEnd('17', '990101', Date.UTC(2001, 0, 1))).toBe(Date.UTC(1999, 0, 2));
  });
});

describe('expired product detector', () => {
  const at = (attributes: Record<string, string>, extra = {}) =>
    testScan({ occurredAt: SCAN, attributes, ...extra });

  it('fires, medium, per lot, for a scan past its expiry date', () => {
    const alert = detectExpiredProduct(at({ '17': '261120' }), settings);
    expect(alert).toMatchObject({
      type: 'expired_product',
      severity: 'medium',
      subject: 'lot:L1',
      lot: 'L1',
    });
    expect(alert!.evidence).toMatchObject({
      ai: '17',
      date: '261120',
      meaning: 'expiry date',
      ended_at: '2026-11-21T00:00:00.000Z',
      days_past: 11,
    });
    expect(detectExpiredProduct(at({ '17': '261120' }, { lot: null }), settings)?.subject).toBe('product');
  });

  it('does not fire on or before the date, nor without a dated attribute', () => {
    expect(detectExpiredProduct(at({ '17': '261202' }), settings)).toBeNull();
    expect(detectExpiredProduct(at({ '17': '270101' }), settings)).toBeNull();
    expect(detectExpiredProduct(at({ '3103': '000500' }), settings)).toBeNull();
    expect(detectExpiredProduct(at({}), settings)).toBeNull();
    expect(detectExpiredProduct(testScan({ occurredAt: SCAN }), settings)).toBeNull();
    expect(detectExpiredProduct(at({ '17': 'garbage' }), settings)).toBeNull();
  });

  it('reads best before, sell by and 7003, the most telling first', () => {
    expect(detectExpiredProduct(at({ '15': '261101' }), settings)?.evidence).toMatchObject({ ai: '15' });
    expect(detectExpiredProduct(at({ '16': '261101' }), settings)?.evidence).toMatchObject({
      meaning: 'sell by date',
    });
    expect(detectExpiredProduct(at({ '7003': '2612021159' }), settings)?.evidence).toMatchObject({
      ai: '7003',
    });
    expect(detectExpiredProduct(at({ '7003': '2612021201' }), settings)).toBeNull();
    expect(detectExpiredProduct(at({ '16': '261101', '17': '261102' }), settings)?.evidence).toMatchObject({
      ai: '17',
    });
    // A future expiry does not hide a past sell-by date.
    expect(detectExpiredProduct(at({ '16': '261101', '17': '271231' }), settings)?.evidence).toMatchObject({
      ai: '16',
    });
  });

  it('waits grace_days past the date', () => {
    const grace = { ...settings, grace_days: 11 };
    expect(detectExpiredProduct(at({ '17': '261121' }), grace)).toBeNull();
    expect(detectExpiredProduct(at({ '17': '261120' }), grace)).not.toBeNull();
    expect(
      detectExpiredProduct(testScan({ occurredAt: SCAN - DAY, attributes: { '17': '261120' } }), grace),
    ).toBeNull();
  });
});
