// A map that keeps its most recently used entries within a size budget (bytes, characters —
// whatever `sizeOf` counts), dropping the least recently used first. The kept pages, the built
// feeds and the rendered calendar events each keep one.

export class SizedCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #budget: number;
  readonly #sizeOf: (value: V) => number;
  #size = 0;

  constructor(budget: number, sizeOf: (value: V) => number) {
    this.#budget = budget;
    this.#sizeOf = sizeOf;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Used again: to the young end of the line.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.#entries.set(key, value);
    this.#size += this.#sizeOf(value);
    for (const [oldKey] of this.#entries) {
      if (this.#size <= this.#budget) break;
      this.delete(oldKey);
    }
  }

  delete(key: string): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#size -= this.#sizeOf(value);
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }
}
