import { describe, expect, it } from 'vitest';
import { TOKYO, testScan } from './test-scans';
import { detectUnauthorisedMarket } from './unauthorised-market';

describe('unauthorised market detector', () => {
  it('fires for a scan in a country outside the list, one alert subject per country', () => {
    const alert = detectUnauthorisedMarket(testScan(TOKYO), ['DE', 'FR']);
    expect(alert).toMatchObject({ type: 'unauthorised_market', severity: 'medium', subject: 'JP' });
    expect(alert!.evidence).toMatchObject({ country: 'JP', authorised_markets: ['DE', 'FR'] });
    expect(alert!.evidence.scans[0]).toMatchObject({ city: 'Tokyo', latitude: 35.68, longitude: 139.65 });
  });

  it('does not fire inside the markets, without a list, or without a real country', () => {
    expect(detectUnauthorisedMarket(testScan(), ['DE', 'FR'])).toBeNull();
    expect(detectUnauthorisedMarket(testScan(TOKYO), [])).toBeNull();
    expect(detectUnauthorisedMarket(testScan({ country: null }), ['FR'])).toBeNull();
    expect(detectUnauthorisedMarket(testScan({ country: 'XX' }), ['FR'])).toBeNull();
    expect(detectUnauthorisedMarket(testScan({ country: 'T1' }), ['FR'])).toBeNull();
  });
});
