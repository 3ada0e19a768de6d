/**
 * What matrix-js-sdk needs from the runtime that Node 20 lacks. Recent SDK releases declare
 * Node ≥ 22 for `Promise.withResolvers` (ES2024), which they call while running (account data
 * echoes, the HTTP layer, interactive auth), not while loading. Import this module first in
 * every suite that uses the SDK, so the method exists before any SDK code can reach it.
 */

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

const P = Promise as PromiseWithResolvers;
if (typeof P.withResolvers !== 'function') {
  // Defined as a method of the constructor, like the native one, so `Promise.withResolvers()`
  // and subclasses calling it on `this` behave the same.
  Object.defineProperty(P, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve'];
      let reject!: Resolvers<T>['reject'];
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
