/**
 * A value now, or later. SQLite answers the authentication hot path
 * synchronously and PostgreSQL asynchronously; code written over MaybePromise
 * serves both without making the synchronous path wait a turn of the event loop.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` to the value: at once when it is there, when it arrives otherwise. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
