/**
 * The PostgreSQL secondary (SQLite primary), in the mirror worker: its own async `pg` connections,
 * the translator, BindingPlan, RowShaper and mapPgError of the PostgreSQL backend. A group is one
 * PostgreSQL transaction; statements leave in batches of one round trip each, inside a savepoint:
 * when one fails, the savepoint is rolled back, the statements before it run again as a shorter
 * batch, and the failing one runs alone, so it fails alone as it did (or did not) on SQLite.
 */
import { combinedResult, completedSteps, driveAsync, isConnectionLost, mapPgError, objectRows, openSchemaSteps, run, sessionSetup, settle, ConnectionPool, type PgConnection, type WireBatch, type WireResult, type WireStep } from '../../backends/postgres/core';
import { BindingPlan, RowShaper, type PgParam } from '../../backends/postgres/values';
import { classKeyOf, nowSlotsOf, sqliteChanges, stepsOf, systemClock, translateVariant, withNow } from '../../backends/postgres/statement';
import type { SchemaCatalog } from '../../schema';
import { createTranslator, type Translation, type Translator } from '../../translator';
import type { Answer, MirrorConfig, MirrorOp } from '../shared';
import { CommitUnknown, errorAnswer, reviveArgs, SecondaryDown, type Applier, type GroupFrame, type OpResult } from './applier';

/** Statements per round trip at most. */
const BATCH = 200;
const SAVEPOINT = 'sra_mirror';

type Prepared =
  | { kind: 'done'; result: OpResult }
  | { kind: 'statement'; translation: Translation; values: unknown[]; simple: boolean; name: string | undefined };

export function pgSetup(schema: string): string[] {
  return sessionSetup(schema, false);
}

export function mirrorPool(config: MirrorConfig, poolSize: number): ConnectionPool {
  return new ConnectionPool({
    connectionString: config.databaseUrl,
    poolSize,
    timeoutMs: config.pgTimeoutMs,
    statementSetup: pgSetup(config.pgSchema),
    applicationName: 'swarm-registry-adapter mirror',
    writeLockKey: '0',
    pooler: config.pgPooler,
  }, 'mirror');
}

/** The core's batch runner (it marks a connection the server ended as broken). */
const must = run;

export class PostgresApplier implements Applier {
  readonly pool: ConnectionPool;
  readonly #translator: Translator;
  #catalog: SchemaCatalog | undefined;
  readonly #names = new Map<string, string>();
  readonly #plans = new WeakMap<Translation, BindingPlan>();
  readonly #shapers = new WeakMap<Translation, RowShaper>();

  constructor(private readonly config: MirrorConfig) {
    this.pool = mirrorPool(config, 2);
    this.#translator = createTranslator(() => this.#catalog!, { overrides: new Map(config.sqlOverrides) });
  }

  async applyGroup(ops: MirrorOp[], frame?: GroupFrame): Promise<OpResult[]> {
    let conn: PgConnection;
    try {
      conn = await this.pool.acquire();
    } catch (error) {
      throw new SecondaryDown(error);
    }
    let committing = false;
    try {
      if (!this.#catalog) await this.#loadCatalog(conn);
      await must(conn, { simple: this.pool.beginText(frame?.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN') });
      if (frame?.first) {
        const q = await must(conn, { steps: [{ ...frame.first, target: true }] });
        frame.firstRows = q.results[0]!.rows;
      }
      const results = await this.#applyAll(conn, ops);
      if (frame?.last) {
        const q = await must(conn, { steps: [{ text: frame.last.text, values: frame.last.values }] });
        frame.last.check?.(q.results[0]!.rowCount);
      }
      committing = true;
      await must(conn, { simple: 'COMMIT' });
      return results;
    } catch (error) {
      const lost = conn.broken || isConnectionLost(error) || error instanceof SecondaryDown;
      if (lost) {
        conn.broken = true;
        this.#catalog = undefined; // DDL of the lost transaction may be in it
        throw committing ? new CommitUnknown(error) : error instanceof SecondaryDown ? error : new SecondaryDown(error);
      }
      await must(conn, { simple: 'ROLLBACK' }).catch(() => undefined);
      this.#catalog = undefined;
      throw error;
    } finally {
      this.pool.release(conn);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  async #applyAll(conn: PgConnection, ops: MirrorOp[]): Promise<OpResult[]> {
    const results = new Array<OpResult>(ops.length);
    const prepared = new Array<Prepared | undefined>(ops.length);
    const prepare = (k: number): Prepared => (prepared[k] ??= this.#prepare(ops[k]!));
    let i = 0;
    let limit = BATCH;
    while (i < ops.length) {
      const first = prepare(i);
      if (first.kind === 'done') {
        results[i++] = first.result;
        continue;
      }
      if (first.simple) {
        results[i] = await this.#runSimple(conn, ops[i]!, first);
        if (first.translation.changesSchema) {
          await this.#loadCatalog(conn);
          prepared.fill(undefined, i + 1); // later statements are translated against the new catalog
        }
        i++;
        continue;
      }
      const batch: number[] = [i];
      for (let j = i + 1; j < ops.length && batch.length < limit; j++) {
        const p = prepare(j);
        if (p.kind !== 'statement' || p.simple) break;
        batch.push(j);
      }
      const steps: WireStep[] = [{ text: `SAVEPOINT ${SAVEPOINT}` }];
      // Where each statement's steps end (a statement run in steps has several: Translation.steps).
      const ends: number[] = [];
      for (const k of batch) {
        const p = prepared[k] as Extract<Prepared, { kind: 'statement' }>;
        // Columns are described only until the statement's shaper exists (it keeps them): the rest
        // of its runs skip Describe, and PostgreSQL skips sending a RowDescription with each.
        const op = ops[k]!;
        const target = op.answer && op.method !== 'run' && op.method !== 'exec' && op.method !== 'pragma' && !this.#shapers.has(p.translation);
        const own: WireStep[] = p.translation.steps ? stepsOf(p.translation, p.values as PgParam[], p.name) : [{ text: p.translation.text, values: p.values, ...(p.name ? { name: p.name } : {}) }];
        for (const step of own) steps.push(target ? { ...step, target: true } : step);
        ends.push(steps.length - 1);
      }
      steps.push({ text: `RELEASE SAVEPOINT ${SAVEPOINT}` });
      const { error, query } = await settle(conn, { steps });
      if (!error) {
        batch.forEach((k, n) => {
          const from = n === 0 ? 1 : ends[n - 1]! + 1;
          results[k] = this.#result(ops[k]!, prepared[k] as Extract<Prepared, { kind: 'statement' }>, combinedResult(query!.results.slice(from, ends[n]! + 1)));
        });
        i += batch.length;
        limit = BATCH;
        continue;
      }
      if (conn.broken || isConnectionLost(error)) throw new SecondaryDown(error);
      // Statements all of whose steps completed before the failing one.
      const completed = (completedSteps(error) ?? 0) - 1;
      const done = ends.filter((end) => end <= completed).length;
      await must(conn, { simple: `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}` });
      if (done <= 0) {
        const p = prepared[i] as Extract<Prepared, { kind: 'statement' }>;
        results[i] = { ...info(p.translation), answer: this.#error(error) };
        i++;
        limit = BATCH;
      } else {
        limit = done;
      }
    }
    return results;
  }

  #prepare(op: MirrorOp): Prepared {
    if (op.notMirrorable) return { kind: 'done', result: { notMirrorable: op.notMirrorable } };
    let translation: Translation;
    try {
      translation = this.#translator.translate(op.sql);
    } catch (error) {
      if (error instanceof Error && error.name === 'TranslationError') return { kind: 'done', result: { notMirrorable: [`cannot be translated: ${error.message}`] } };
      return { kind: 'done', result: op.answer ? { answer: errorAnswer(error) } : {} };
    }
    if (translation.notMirrorable) return { kind: 'done', result: { ...info(translation), notMirrorable: translation.notMirrorable } };
    if (translation.transaction || translation.noop || (op.method === 'pragma' && translation.readonly)) {
      return { kind: 'done', result: op.answer ? { ...info(translation), answer: { type: 'run', changes: 0 } } : {} };
    }
    const simple = translation.kind === 'ddl' || translation.kind === 'pragma' || translation.kind === 'other';
    let values: unknown[] = [];
    if (!simple) {
      const args = reviveArgs(op.args);
      try {
        // Parameters the values type: the translation for these values' classes (variants.ts).
        const key = classKeyOf(translation, this.#planOf(translation), args);
        if (key !== undefined) translation = translateVariant(this.#translator, translation, key);
        values = this.#planOf(translation).pgValues(args);
      } catch (error) {
        if (error instanceof Error && error.name === 'TranslationError') return { kind: 'done', result: { notMirrorable: [`cannot be translated: ${error.message}`] } };
        return { kind: 'done', result: op.answer ? { answer: errorAnswer(error) } : {} };
      }
      values = withNow(values as PgParam[], nowSlotsOf(translation), () => op.now ?? systemClock());
    }
    return { kind: 'statement', translation, values, simple, name: simple ? undefined : this.#name(translation.text) };
  }

  #planOf(translation: Translation): BindingPlan {
    let plan = this.#plans.get(translation);
    if (!plan) this.#plans.set(translation, (plan = new BindingPlan(translation)));
    return plan;
  }

  async #runSimple(conn: PgConnection, op: MirrorOp, p: Extract<Prepared, { kind: 'statement' }>): Promise<OpResult> {
    const { error } = await settle(conn, { simple: `SAVEPOINT ${SAVEPOINT}; ${p.translation.text}; RELEASE SAVEPOINT ${SAVEPOINT}` });
    if (!error) return op.answer ? { ...info(p.translation), answer: { type: 'run', changes: 0 } } : {};
    if (conn.broken || isConnectionLost(error)) throw new SecondaryDown(error);
    await must(conn, { simple: `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}` });
    return op.answer ? { ...info(p.translation), answer: this.#error(error) } : {};
  }

  #result(op: MirrorOp, p: Extract<Prepared, { kind: 'statement' }>, result: WireResult): OpResult {
    if (!op.answer) return {};
    const t = p.translation;
    let answer: Answer;
    if (op.method === 'run' || op.method === 'exec' || op.method === 'pragma') {
      answer = { type: 'run', changes: sqliteChanges(t, result.rowCount) };
    } else {
      let shaper = this.#shapers.get(t);
      if (!shaper) this.#shapers.set(t, (shaper = new RowShaper(result.fields, this.#catalog, t.columnNames, t.jsonScalarColumns, t.echoColumns)));
      answer = { type: 'rows', rows: shaper.rows(result.rows, op.shape, op.safeIntegers) };
      // SQLite's names by position: raw and plucked rows carry none, and the secrecy policy needs them.
      return { ...info(t), columnNames: [...shaper.columnNames], answer };
    }
    return { ...info(t), answer };
  }

  #error(error: unknown): Answer {
    return errorAnswer(mapPgError(error, { catalog: this.#catalog, url: this.config.databaseUrl }));
  }

  #name(text: string): string {
    let name = this.#names.get(text);
    if (!name) this.#names.set(text, (name = `sra_m${this.#names.size + 1}`));
    return name;
  }

  /** The schema created when missing (the write lock's objects with it), then its catalog read. */
  async #loadCatalog(conn: PgConnection): Promise<void> {
    this.#catalog = await driveAsync(openSchemaSteps(this.config.pgSchema, true), async (q) => {
      // As the core's session sends it: a query without values in the simple protocol (the
      // schema's creation is several statements in one text).
      const batch: WireBatch = q.values.length === 0 ? { simple: q.text } : { steps: [{ text: q.text, values: q.values, target: true }] };
      const r = (await must(conn, batch)).results;
      return objectRows(r[r.length - 1]!);
    });
  }
}

function info(t: Translation): Pick<OpResult, 'ordered' | 'slots' | 'tables' | 'columnNames'> {
  return { ordered: t.ordered, slots: t.slots, tables: t.tables, ...(t.columnNames ? { columnNames: t.columnNames } : {}) };
}

