/**
 * The change log applier's lease (docs/shadow-mode.md, The change log): a session-level PostgreSQL advisory lock held on a connection of its own.
 * One process at a time holds it and applies the change log; the others stand by and try again
 * every half second. PostgreSQL releases it the moment the holder's connection ends, so a killed
 * applier is replaced within a poll; and the position update of each group checks the position
 * it started from, so even two appliers for a moment could not apply a transaction twice.
 */
import pg from 'pg';

export class ApplierLease {
  #client: pg.Client | undefined;
  #held = false;
  #connecting: Promise<void> | undefined;

  constructor(private readonly databaseUrl: string, private readonly key: string, private readonly timeoutMs: number) {}

  get held(): boolean {
    return this.#held;
  }

  /** Tries to take the lease (connecting first when needed); true while it is held. */
  async acquire(): Promise<boolean> {
    if (this.#held) return true;
    if (!this.#client) {
      this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
      await this.#connecting;
    }
    const client = this.#client;
    if (!client) return false;
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.key]);
    this.#held = rows[0]?.ok === true;
    return this.#held;
  }

  async release(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#held = false;
    if (client) await client.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: this.timeoutMs, application_name: 'swarm-registry-adapter applier lease', keepAlive: true });
    const lost = (): void => {
      if (this.#client === client) {
        this.#client = undefined;
        this.#held = false;
      }
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    this.#client = client;
  }
}
