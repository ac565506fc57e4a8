import { describe, expect, it } from 'vitest';
import { attachment, csvCell, csvRow } from './csv';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+33 1 23', "'+33 1 23"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    [-1.5, '-1.5'],
    [42, '42'],
    [null, ''],
    [undefined, ''],
    [{ '17': '261231' }, '"{""17"":""261231""}"'],
  ])('%j → %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('ends records with CRLF', () => {
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('gives an ASCII filename and its UTF-8 form', () => {
    expect(attachment('scans_2026-10-24_to_2026-10-26.csv')).toBe(
      'attachment; filename="scans_2026-10-24_to_2026-10-26.csv"; filename*=UTF-8\'\'scans_2026-10-24_to_2026-10-26.csv',
    );
    expect(attachment('café "x".csv')).toBe(
      'attachment; filename="caf_ _x_.csv"; filename*=UTF-8\'\'caf%C3%A9%20%22x%22.csv',
    );
  });
});
