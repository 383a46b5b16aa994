/**
 * A dependency built on first use and kept for the life of the Lambda container. Built lazily so
 * importing a handler never needs its environment, and replaceable so tests inject their own.
 */
export interface Lazy<T> {
  get(): T;
  set(value: T): void;
  reset(): void;
}

export function lazy<T>(factory: () => T): Lazy<T> {
  let value: T | undefined;
  let built = false;
  return {
    get() {
      if (!built) {
        value = factory();
        built = true;
      }
      return value as T;
    },
    set(next) {
      value = next;
      built = true;
    },
    reset() {
      value = undefined;
      built = false;
    },
  };
}
