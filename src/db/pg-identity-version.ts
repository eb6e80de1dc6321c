// The identity data version on PostgreSQL, so that api-key and user lookups can be kept between
// requests there too (docs/performance.md measured the lookup's round trip at a quarter of the
// PostgreSQL mix).
//
// Other processes' writes arrive as notices: triggers on the identity tables (migration 015) call
// pg_notify in the writing transaction, and PostgreSQL delivers the notice to every listening
// connection when that transaction commits. This process's own writes are counted as their commit
// returns (`trackIdentityWrites`), so a request sees its own process's revocation at once; another
// process's is seen when the notice arrives, a few milliseconds after the commit (docs/fidelity.md).
//
// The listening connection opens on first use, so commands that never look up a key open none.
// While it is not listening (opening, lost, reopening) there is no version and nothing is kept; each
// connection starts a new epoch, so nothing kept before a loss is ever served after it.
import pg from 'pg';
import { IDENTITY_TABLES, SCHEMA_CHANGE } from './statement-cache.js';

const CHANNEL = 'casa_identity';
const RECONNECT_MS = 1000;

export interface IdentityVersion {
  /** The current version, or null while no notice could be missed. */
  current(): string | null;
  /** This process committed a write to an identity table. */
  bump(): void;
  close(): Promise<void>;
}

export function identityVersion(clientConfig: pg.ClientConfig): IdentityVersion {
  let epoch = 0;
  let changes = 0;
  let listening = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  const lost = (failed: pg.Client) => {
    if (client !== failed) return;
    listening = false;
    client = null;
    failed.end().catch(() => {});
    if (!closed) retry = setTimeout(listen, RECONNECT_MS).unref();
  };

  async function listen(): Promise<void> {
    retry = null;
    const c = new pg.Client(clientConfig);
    client = c;
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      // Notices carry the schema written to: tests, and operators, may keep several in one database.
      const schema = (await c.query<{ schema: string }>('select current_schema() as schema')).rows[0]!.schema;
      c.on('notification', (n) => {
        if (n.channel === CHANNEL && n.payload === schema) changes++;
      });
      await c.query(`LISTEN ${CHANNEL}`);
      if (client !== c || closed) return;
      epoch++;
      listening = true;
    } catch {
      lost(c);
    }
  }

  return {
    current() {
      if (listening) return `${epoch}.${changes}`;
      if (!client && !retry && !closed) void listen();
      return null;
    },
    bump() {
      changes++;
    },
    async close() {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const END = /^\s*(commit|rollback)\s*$/i;
const READ = /^\s*select\b/i;

/**
 * Calls `committed` when a write to an identity table, made on `client`, has committed: at once for
 * a statement outside a transaction, at COMMIT for one inside. Any statement naming an identity
 * table that is not a plain SELECT counts, and so does any schema change: a needless bump only
 * empties the cache.
 */
export function trackIdentityWrites(client: pg.PoolClient, committed: () => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let inTransaction = false;
  let wrote = false;
  const after = (result: unknown) => {
    // Runs before the caller's own continuation: the version has moved when the caller goes on.
    if (result instanceof Promise) result.then(committed, committed);
    else committed();
    return result;
  };
  client.query = ((text: unknown, ...rest: unknown[]) => {
    const sql = typeof text === 'string' ? text : (text as { text?: unknown } | null)?.text;
    if (typeof sql !== 'string') return query(text, ...rest);
    if (BEGIN.test(sql)) {
      inTransaction = true;
      wrote = false;
    } else if (END.test(sql)) {
      const bump = inTransaction && wrote;
      inTransaction = false;
      wrote = false;
      if (bump) return after(query(text, ...rest));
    } else if ((!READ.test(sql) && IDENTITY_TABLES.test(sql)) || SCHEMA_CHANGE.test(sql)) {
      if (!inTransaction) return after(query(text, ...rest));
      wrote = true;
    }
    return query(text, ...rest);
  }) as typeof client.query;
}
