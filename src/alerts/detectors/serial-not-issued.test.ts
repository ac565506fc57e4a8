import { describe, expect, it } from 'vitest';
import {
  detectSerialNotIssued,
  emptyRegistry,
  type IssuedSerialRegistry,
  serialIssueStatus,
} from './serial-not-issued';
import { testScan } from './test-scans';

const ranges: IssuedSerialRegistry = {
  ranges: [
    [1000n, 1999n],
    [99999999999999999990n, 99999999999999999999n],
  ],
  listed: new Set(),
};
const lists: IssuedSerialRegistry = { ranges: [], listed: new Set(['AB12', 'AB13']) };
const both: IssuedSerialRegistry = { ranges: ranges.ranges, listed: lists.listed };

describe('serial-not-issued detector', () => {
  it('says nothing while the brand registered nothing for the GTIN', () => {
    expect(serialIssueStatus('5', emptyRegistry())).toBe('unknown');
    expect(detectSerialNotIssued(testScan({ serial: '5' }), emptyRegistry())).toBeNull();
  });

  it('checks numeric serials against ranges, by value (leading zeros ignored), up to 20 digits', () => {
    expect(serialIssueStatus('1000', ranges)).toBe('issued');
    expect(serialIssueStatus('0001999', ranges)).toBe('issued');
    expect(serialIssueStatus('999', ranges)).toBe('not_issued');
    expect(serialIssueStatus('2000', ranges)).toBe('not_issued');
    expect(serialIssueStatus('99999999999999999995', ranges)).toBe('issued');
  });

  it('calls an alphanumeric serial never issued only when lists are registered', () => {
    expect(serialIssueStatus('AB99', ranges)).toBe('unknown');
    expect(serialIssueStatus('AB99', lists)).toBe('not_issued');
    expect(serialIssueStatus('AB12', lists)).toBe('issued');
    expect(serialIssueStatus('AB12', both)).toBe('issued');
    expect(serialIssueStatus('1500', both)).toBe('issued');
    // A numeric serial outside the ranges and absent from the lists.
    expect(serialIssueStatus('5000', lists)).toBe('not_issued');
  });

  it('fires, high severity, with the scan as evidence', () => {
    const alert = detectSerialNotIssued(testScan({ serial: '2500' }), ranges);
    expect(alert).toMatchObject({
      type: 'serial_not_issued',
      severity: 'high',
      subject: '2500',
      serial: '2500',
    });
    expect(alert!.evidence).toMatchObject({ registered_ranges: 2, registered_list_serials: 0 });
    expect(detectSerialNotIssued(testScan({ serial: '1500' }), ranges)).toBeNull();
  });
});
