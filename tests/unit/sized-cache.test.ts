// The budgeted cache behind kept pages, built feeds and rendered events.
import { describe, expect, it } from 'vitest';
import { SizedCache } from '../../src/lib/sized-cache.ts';

describe('a sized cache', () => {
  it('keeps within its budget, dropping the least recently used first', () => {
    const cache = new SizedCache<string>(10, (v) => v.length);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa'); // a is now the most recently used
    cache.set('c', 'cccc'); // 12 > 10: b goes, not a
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('c')).toBe('cccc');
  });

  it('counts a replaced or deleted entry out of the budget', () => {
    const cache = new SizedCache<string>(10, (v) => v.length);
    cache.set('a', 'aaaaaaaa');
    cache.set('a', 'aa');
    cache.set('b', 'bbbbbbbb'); // 2 + 8 fits: nothing goes
    expect(cache.get('a')).toBe('aa');
    cache.delete('b');
    cache.set('c', 'cccccccc');
    expect(cache.get('a')).toBe('aa');
    expect(cache.get('c')).toBe('cccccccc');
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not keep an entry larger than the whole budget', () => {
    const cache = new SizedCache<string>(4, (v) => v.length);
    cache.set('big', 'bigger');
    expect(cache.get('big')).toBeUndefined();
  });
});
