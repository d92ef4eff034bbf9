import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';

describe('newId', () => {
  it('is 26 characters of [0-9a-z]: time, a sequence within the millisecond, 12 random ones', () => {
    const id = newId(Date.UTC(2026, 11, 6));
    expect(id).toMatch(/^[0-9a-z]{26}$/);
    expect(id.slice(0, 10)).toBe(Date.UTC(2026, 11, 6).toString(36).padStart(10, '0'));
  });

  it('sorts by time, then by creation order within one millisecond', () => {
    const at = Date.UTC(2026, 11, 6, 12);
    const ids = [newId(at - 1), newId(at), newId(at), newId(at), newId(at + 1)];
    expect(ids.toSorted()).toEqual(ids);
    expect(ids.slice(1, 4).map((id) => id.slice(10, 14))).toEqual(['0000', '0001', '0002']);
  });

  it('draws fresh random characters for every id', () => {
    const at = Date.UTC(2026, 11, 6, 13);
    const randomParts = Array.from({ length: 5000 }, () => newId(at).slice(14));
    expect(new Set(randomParts).size).toBe(randomParts.length);
    // Every character of the alphabet turns up in every random position: nothing is left fixed.
    for (let position = 0; position < 12; position++) {
      const seen = new Set(randomParts.map((part) => part[position]));
      expect(seen.size, `position ${position}`).toBeGreaterThanOrEqual(30);
    }
  });
});
