import { type Compilable, CompiledQuery, type DialectAdapter, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.ts';

/** Stands for the n-th value of a prepared query while Kysely compiles it once. */
class Placeholder {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

/** A prepared query: its SQL compiled once per dialect, run with new values each time. */
export interface PreparedQuery<Values extends readonly unknown[], Row> {
  execute(executor: Kysely<Database>, ...values: Values): Promise<QueryResult<Row>>;
  /** The first row, if any (a select, or a write with `returning`). */
  takeFirst(executor: Kysely<Database>, ...values: Values): Promise<Row | undefined>;
}

/**
 * A query whose shape never depends on its values (the same columns and conditions every time),
 * built and compiled by Kysely once per dialect and then run with new values. Kysely builds and
 * compiles every query anew (a frozen operation-node tree, then its SQL), which on the hot paths
 * cost more CPU than SQLite takes to run the statement. The values are still bound as parameters.
 *
 * `build` receives one placeholder per value and must use each only where Kysely binds a value
 * (`where(column, '=', value)`, `values({...})`, `set({...})`) — never to choose a column, a table
 * or whether a clause exists.
 */
export function preparedQuery<Values extends readonly unknown[], Row>(
  arity: Values['length'],
  build: (db: Kysely<Database>, ...values: Values) => Compilable<Row>,
): PreparedQuery<Values, Row> {
  const compiled = new WeakMap<DialectAdapter, { sql: string; slots: Array<(values: Values) => unknown> }>();
  const compile = (executor: Kysely<Database>) => {
    const adapter = executor.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) {
      const placeholders = Array.from(
        { length: arity },
        (_, index) => new Placeholder(index),
      ) as unknown as Values;
      const query = build(executor, ...placeholders).compile();
      const slots = query.parameters.map((parameter) => {
        if (!(parameter instanceof Placeholder)) return () => parameter;
        const { index } = parameter;
        return (values: Values) => values[index];
      });
      const bound = query.parameters.filter((parameter) => parameter instanceof Placeholder).length;
      if (bound === 0 && arity > 0) throw new Error('preparedQuery: the query binds none of its values');
      entry = { sql: query.sql, slots };
      compiled.set(adapter, entry);
    }
    return entry;
  };
  const execute = async (executor: Kysely<Database>, ...values: Values): Promise<QueryResult<Row>> => {
    const { sql, slots } = compile(executor);
    return executor.executeQuery(
      CompiledQuery.raw(
        sql,
        slots.map((slot) => slot(values)),
      ) as CompiledQuery<Row>,
    );
  };
  return {
    execute,
    takeFirst: async (executor, ...values) => (await execute(executor, ...values)).rows[0],
  };
}

/**
 * A prepared insert of one row into `table`, naming every column it writes (the row's other
 * properties are not written). Rows missing one of the columns write NULL there.
 */
export function preparedInsert<Table extends keyof Database & string, Row extends object>(
  table: Table,
  columns: ReadonlyArray<keyof Row & string>,
): { execute(executor: Kysely<Database>, row: Row): Promise<QueryResult<never>> } {
  const query = preparedQuery<unknown[], never>(columns.length, (db, ...values) =>
    db
      .insertInto(table)
      .values(Object.fromEntries(columns.map((column, index) => [column, values[index]])) as never),
  );
  return {
    execute: (executor, row) =>
      query.execute(executor, ...columns.map((column) => (row[column] as unknown) ?? null)),
  };
}
