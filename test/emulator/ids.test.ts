import { describe, expect, it } from 'vitest';
import { IdGenerator, keyPrefixOf, normalizeId, toId18 } from '../../emulator/core/ids.ts';

describe('Salesforce ids', () => {
  it('appends the case checksum that Salesforce computes', () => {
    // Pairs published in Salesforce's documentation and knowledge articles.
    expect(toId18('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
  });

  it('accepts 15-character ids and 18-character ids in any case', () => {
    expect(normalizeId('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(normalizeId('0015000000Gv7qJAAR')).toBe('0015000000Gv7qJAAR');
    expect(normalizeId('0015000000GV7QJAAR')).toBe('0015000000Gv7qJAAR');
    expect(normalizeId('0015000000gv7qjaar')).toBe('0015000000Gv7qJAAR');
  });

  it('rejects malformed ids', () => {
    for (const bad of [
      '',
      'abc',
      '0015000000Gv7q',
      '0015000000Gv7qJAA',
      '0015000000Gv7qJ!AR',
      '0015000000Gv7qJAAX',
    ]) {
      expect(normalizeId(bad), bad).toBeUndefined();
    }
  });

  it('hands out distinct, well-formed ids per key prefix in a deterministic order', () => {
    const first = new IdGenerator();
    const second = new IdGenerator();
    const ids = Array.from({ length: 100 }, () => first.next('003'));
    expect(new Set(ids).size).toBe(100);
    expect(ids.map((id) => normalizeId(id))).toEqual(ids);
    expect(ids.every((id) => keyPrefixOf(id) === '003' && id.length === 18)).toBe(true);
    expect(Array.from({ length: 100 }, () => second.next('003'))).toEqual(ids);
  });
});
