import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { DirectRunner, Executor } from './base.js';

/**
 * Stands for a parameter while a fixed query is built: a string no caller's
 * value can equal (it starts with a NUL character), so that the compiled
 * query shows where each named value goes.
 */
const MARK = '\u0000tab-fixed-query-parameter:';

type Slot = { readonly name: string } | { readonly constant: unknown };

/**
 * How the store runs its fixed queries: compiled once when the store opens
 * (the default), or built and compiled anew at every run, as Kysely does by
 * itself. The second is the reference that tests and the write-path bench
 * compare the first with.
 */
export type FixedQueryMode = 'compile-once' | 'compile-each-time';

/**
 * A query whose shape never changes, only its parameters' values: built and
 * compiled once, then run with new values (Kysely's compile() once, then
 * executeQuery with new parameters). Building a query tree and compiling it
 * cost more than running the prepared statement on SQLite, which the driver
 * caches by SQL text already; the write path pays it several times a request.
 *
 * `build` receives the parameters as `$` and must only hand them to Kysely
 * (`.where('id', '=', $.id)`, `.values(pick($, keys))`): while building once,
 * each `$.name` is a stand-in string, so JavaScript that looks at a value
 * (`$.end ?? max`, `$.billable ? 1 : 0`) would bake a wrong constant into the
 * query. The constructor checks what it can — every parameter read must reach
 * the query as a parameter of its own, and none may be inlined into the SQL
 * text — and throws when the store opens otherwise. A query whose shape
 * depends on a value (an `IN` list, an optional filter) is not fixed: build
 * it at each run as usual.
 */
export class FixedQuery<P extends object, R> {
  readonly #build: ($: P) => Compilable<R>;
  readonly #mode: FixedQueryMode;
  readonly #template: CompiledQuery<R>;
  readonly #slots: readonly Slot[];
  readonly #direct: DirectRunner | undefined;

  constructor(build: ($: P) => Compilable<R>, mode: FixedQueryMode = 'compile-once', direct?: DirectRunner) {
    this.#build = build;
    this.#mode = mode;
    this.#direct = mode === 'compile-once' ? direct : undefined;
    const read = new Set<string>();
    const marks = new Proxy({} as P, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return MARK + name;
      },
    });
    this.#template = build(marks).compile();
    if (this.#template.sql.includes(MARK)) throw new Error(`A fixed query inlines a parameter into its SQL: ${describe(this.#template.sql)}`);
    this.#slots = this.#template.parameters.map((value): Slot => {
      if (typeof value !== 'string' || !value.includes(MARK)) return { constant: value };
      if (!value.startsWith(MARK)) throw new Error(`A fixed query changes a parameter before using it: ${describe(value)}`);
      return { name: value.slice(MARK.length) };
    });
    const used = new Set(this.#slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
    const lost = [...read].filter((name) => !used.has(name));
    if (lost.length > 0) throw new Error(`A fixed query looks at ${lost.join(', ')} in JavaScript instead of passing it on: build it at each run instead.`);
  }

  /** The query with these values, compiled (for running, and for tests comparing it with a fresh compile). */
  compiled(params: P): CompiledQuery<R> {
    if (this.#mode === 'compile-each-time') return this.#build(params).compile();
    const values = params as Record<string, unknown>;
    const parameters = this.#slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      const value = values[slot.name];
      // Kysely leaves an undefined value's column out, which would change the shape: a fixed query needs every value.
      if (value === undefined) throw new Error(`A fixed query was run without its parameter "${slot.name}".`);
      return value;
    });
    return { ...this.#template, parameters };
  }

  /** Every row the query answers. */
  async rows(executor: Executor, params: P): Promise<R[]> {
    return (await this.#execute(executor, params)).rows;
  }

  /** The first row the query answers, if any. */
  async first(executor: Executor, params: P): Promise<R | undefined> {
    return (await this.#execute(executor, params)).rows[0];
  }

  /** Runs a write; answers how many rows it changed. */
  async run(executor: Executor, params: P): Promise<number> {
    return Number((await this.#execute(executor, params)).numAffectedRows ?? 0n);
  }

  #execute(executor: Executor, params: P): QueryResult<R> | Promise<QueryResult<R>> {
    const compiled = this.compiled(params);
    return this.#direct?.tryNow(compiled, executor.isTransaction) ?? executor.executeQuery(compiled);
  }
}

/** The named fields of `values`: an INSERT's row from `$` (whose fields cannot be listed) or from a plain object alike. */
export function pick<T extends object, K extends keyof T>(values: T, keys: readonly K[]): Pick<T, K> {
  const row = {} as Pick<T, K>;
  for (const key of keys) row[key] = values[key];
  return row;
}

const describe = (text: string) => JSON.stringify(text.replaceAll(MARK, '$'));
