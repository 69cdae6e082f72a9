// CSV cells: RFC 4180 quoting and formula defusing (docs/api.md ("Incident history")).
import { describe, expect, it } from 'vitest';
import { csvCell } from './incident-csv.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=1+2', "'=1+2"],
    ['+44 20', "'+44 20"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['=A1,"x"', '"\'=A1,""x"""'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes numbers, booleans and null as they are, an empty cell for null', () => {
    expect([csvCell(-1.5), csvCell(true), csvCell(null)]).toEqual(['-1.5', 'true', '']);
  });
});
