/**
 * A procedure of several queries written once, as a generator that yields each query and receives
 * its result (or has its error thrown in), and run by either driver: synchronously (the PostgreSQL
 * backend's worker bridge) or asynchronously (a pg pool: AsyncDatabase, the shadow mirror).
 */
export function driveSync<Q, R, T>(steps: Generator<Q, T, R>, run: (query: Q) => R): T {
  let next = steps.next();
  while (!next.done) {
    let result: R;
    try {
      result = run(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}

export async function driveAsync<Q, R, T>(steps: Generator<Q, T, R>, run: (query: Q) => Promise<R>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let result: R;
    try {
      result = await run(next.value);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(result);
  }
  return next.value;
}
