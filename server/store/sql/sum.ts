type Sum<T extends object[]> = T extends [infer Head, ...infer Rest extends object[]] ? Head & Sum<Rest> : unknown;

/**
 * One object with the methods of every part, each bound to its part: TabStore
 * as the sum of the domain implementations. Each part's own (class) methods
 * are taken, not inherited ones, so the shared base's helpers stay inside; a
 * method defined by two parts is a mistake, refused at once.
 */
export function sumOf<T extends object[]>(...parts: T): Sum<T> {
  const sum: Record<string, unknown> = {};
  for (const part of parts) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(part))) {
      if (name === 'constructor') continue;
      if (name in sum) throw new Error(`Two store domains define ${name}().`);
      const method = (part as Record<string, unknown>)[name];
      if (typeof method === 'function') sum[name] = method.bind(part);
    }
  }
  return sum as Sum<T>;
}
