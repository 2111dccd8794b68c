/**
 * The next rowid a connection can give a plain one-row INSERT itself (Translation.rowidGiven),
 * instead of reading the table's largest rowid and returning the new one (an index probe and a
 * RETURNING per insert).
 *
 * It is known right after an INSERT of this connection added a table's largest rowid + 1 inside a
 * transaction: the transaction holds the write lock (no other writer until it ends), so the
 * table's largest rowid is that row's until this connection runs something else. The number is
 * only carried across such plain one-row inserts (into this table or others) with nothing else in
 * between: any other statement, transaction control, error or cursor call of the connection (its
 * call count moves) forgets it, as does the transaction's end. A table with triggers of its own never gets here
 * (an insert could add other rows); a row numbered this way is numbered as the table's max + 1
 * would number it, so SQLite's rowid (and its reuse after the largest row is deleted) is kept.
 */
export class NextRowid {
  /** Table (lower case) → its next rowid. */
  readonly #next = new Map<string, bigint>();
  /** The connection's call count right after the last insert recorded here. */
  #stamp = -1;

  /** The rowid to give the next row of `table`, when still known at call count `stamp`. */
  take(table: string, stamp: number): bigint | undefined {
    if (this.#stamp !== stamp) {
      this.#next.clear();
      return undefined;
    }
    return this.#next.get(table);
  }

  /**
   * A plain one-row INSERT into `table` succeeded inside a transaction; `rowid` is its row's (when
   * known); `stamp` is the call count after it. An insert into a table without triggers of its own
   * changes no other table: what is known of the others stays known.
   */
  inserted(table: string, rowid: bigint | undefined, stamp: number, previous: number): void {
    if (this.#stamp !== previous) this.#next.clear();
    if (rowid === undefined) this.#next.delete(table);
    else this.#next.set(table, rowid + 1n);
    this.#stamp = stamp;
  }
}

/** The rowid an INSERT returned (its first row's first value), or undefined. */
export function returnedRowid(rows: ReadonlyArray<ReadonlyArray<unknown>>): bigint | undefined {
  const value = rows.length === 1 ? rows[0]![0] : undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : undefined;
}
