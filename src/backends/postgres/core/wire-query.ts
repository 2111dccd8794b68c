/**
 * A `pg` Submittable that writes a whole batch of extended-protocol messages (several statements,
 * one Sync) or one simple-protocol query, and keeps the rows as PostgreSQL's text.
 *
 * Why not pg's own Query: a statement inside a transaction is wrapped as `SAVEPOINT; statement;
 * RELEASE` so that its failure does not abort the transaction, and pg's Query would spend a round
 * trip on each of the three. Here they leave in one write and come back in one answer. It also
 * skips pg's Result object and type parsing (the value shaper reads the text), records exactly which
 * named statements the server parsed, and serves `describe` (Parse + Describe, never executed).
 */
import type { Connection, Submittable } from 'pg';
import type { DescribeResult, FieldInfo, RawRow, WireResult } from './protocol';

/** One statement of a batch. */
export interface WireStep {
  text: string;
  values?: readonly unknown[];
  /** Named prepared statement: Parse is skipped when this connection already parsed it. */
  name?: string;
  /** Ask for the result's columns (Describe portal); the caller reads this step's rows. */
  target?: boolean;
  /** Only Parse and Describe the statement (for `describe`): nothing is executed. */
  describeOnly?: boolean;
}

/** Either several extended-protocol steps ending in one Sync, or one simple-protocol query. */
export type WireBatch = { steps: readonly WireStep[] } | { simple: string };

/** What a connection remembers between batches. */
export interface WireConnectionState {
  /** Named statements this connection's server session has parsed: name → text. */
  readonly parsed: Map<string, string>;
  /** The batch in flight, which receives the messages pg's Client does not forward. */
  active: WireQuery | null;
  /** Behind a transaction pooler: statement names are ignored, every statement is unnamed. */
  readonly unnamed?: boolean;
}

/** The parts of pg's Connection (lib/connection.js) a batch writes with; @types/pg is inexact. */
interface ProtocolWriter {
  stream: { cork?(): void; uncork?(): void };
  query(text: string): void;
  parse(msg: { text: string; name?: string }): void;
  bind(msg: { statement?: string; values: unknown[] }): void;
  describe(msg: { type: 'S' | 'P'; name?: string }): void;
  execute(msg: { rows?: number }): void;
  close(msg: { type: 'S' | 'P'; name?: string }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

interface RowDescriptionMessage {
  fields: Array<{ name: string; dataTypeID: number; tableID: number; columnID: number }>;
}

type PrepareValue = (value: unknown) => unknown;
// pg's own conversion of JS values to parameter text (Date, arrays, Buffer, objects as JSON).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepareValue = (require('pg/lib/utils') as { prepareValue: PrepareValue }).prepareValue;

export type WireCallback = (err: Error | null, query: WireQuery) => void;

export class WireQuery implements Submittable {
  /** One entry per completed statement (CommandComplete or EmptyQueryResponse), in order. */
  readonly results: WireResult[] = [];
  describe: DescribeResult | null = null;
  private current: WireResult = emptyResult();
  private readonly parses: Array<{ name: string; text: string }> = [];
  private parsesDone = 0;
  private finished = false;

  constructor(
    private readonly batch: WireBatch,
    private readonly state: WireConnectionState,
    private readonly callback: WireCallback,
  ) {}

  submit(connection: Connection): Error | null {
    const con = connection as unknown as ProtocolWriter;
    if ('simple' in this.batch) {
      this.state.active = this;
      con.query(this.batch.simple);
      return null;
    }
    // Encode every parameter before writing anything: a value pg cannot encode must fail the
    // batch while nothing is on the wire yet (pg then reports the returned error itself).
    let encoded: unknown[][];
    try {
      encoded = this.batch.steps.map((step) => (step.values ?? []).map((v) => prepareValue(v)));
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
    this.state.active = this;
    con.stream.cork?.();
    try {
      this.batch.steps.forEach((step, i) => this.write(con, step, encoded[i]!));
      con.sync();
    } finally {
      con.stream.uncork?.();
    }
    return null;
  }

  private write(con: ProtocolWriter, step: WireStep, values: unknown[]): void {
    if (step.describeOnly) {
      this.describe = { paramTypes: [], fields: null };
      this.parse(con, step.text, '');
      con.describe({ type: 'S', name: '' });
      return;
    }
    const name = this.state.unnamed ? '' : step.name ?? '';
    if (name === '' || this.state.parsed.get(name) !== step.text) {
      // Same name, other text: the caller reused a name; replace the statement rather than fail.
      if (name !== '' && this.state.parsed.has(name)) {
        con.close({ type: 'S', name });
        this.state.parsed.delete(name);
      }
      this.parse(con, step.text, name);
    }
    con.bind({ statement: name, values });
    if (step.target) con.describe({ type: 'P', name: '' });
    con.execute({});
  }

  private parse(con: ProtocolWriter, text: string, name: string): void {
    this.parses.push({ name, text });
    con.parse({ text, name });
  }

  // --- messages pg's Client forwards to the active query ---

  handleRowDescription(msg: RowDescriptionMessage): void {
    const fields = msg.fields.map(toFieldInfo);
    if (this.describe) this.describe.fields = fields;
    else this.current.fields = fields;
  }

  handleDataRow(msg: { fields: RawRow }): void {
    this.current.rows.push(msg.fields);
  }

  handleCommandComplete(msg: { text: string }): void {
    const tag = msg.text;
    const space = tag.indexOf(' ');
    this.current.command = space === -1 ? tag : tag.slice(0, space);
    const count = /(\d+)$/.exec(tag);
    this.current.rowCount = count ? Number(count[1]) : 0;
    this.complete();
  }

  handleEmptyQuery(): void {
    this.complete();
  }

  handlePortalSuspended(): void {
    // Never asked for (no row limit on Execute).
  }

  handleCopyInResponse(connection: Connection): void {
    (connection as unknown as ProtocolWriter).sendCopyFail('COPY FROM STDIN is not supported by the synchronous client');
  }

  handleCopyData(): void {
    // COPY TO STDOUT data is dropped; the command still completes.
  }

  handleError(err: Error): void {
    this.finish(err);
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  // --- messages the connection emits that pg's Client ignores (see connections.ts) ---

  onParseComplete(): void {
    const parsed = this.parses[this.parsesDone++];
    if (parsed && parsed.name !== '') this.state.parsed.set(parsed.name, parsed.text);
  }

  onParameterDescription(msg: { dataTypeIDs: number[] }): void {
    if (this.describe) this.describe.paramTypes = msg.dataTypeIDs;
  }

  onNoData(): void {
    // The answer to Describe for a statement without rows (`fields` stays null / []).
  }

  private complete(): void {
    this.results.push(this.current);
    this.current = emptyResult();
  }

  private finish(err: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.state.active === this) this.state.active = null;
    this.callback(err, this);
  }
}

export function emptyResult(): WireResult {
  return { rows: [], fields: [], rowCount: 0, command: '' };
}

/** The answer of several statements run as one (Translation.steps): their rows in turn, the sum of their counts. */
export function combinedResult(results: readonly WireResult[]): WireResult {
  if (results.length === 1) return results[0]!;
  const out = emptyResult();
  for (const r of results) {
    out.rows.push(...r.rows);
    out.rowCount += r.rowCount;
    if (out.fields.length === 0) out.fields = r.fields;
    out.command = r.command;
  }
  return out;
}

function toFieldInfo(f: FieldInfo): FieldInfo {
  return { name: f.name, dataTypeID: f.dataTypeID, tableID: f.tableID, columnID: f.columnID };
}
