import { MongoClient, type Db, type IndexSpecification } from 'mongodb';

/** One client per process; each database (a workspace, the cloud) is a Db from it. */
export async function connectMongo(url: string): Promise<MongoClient> {
  const client = new MongoClient(url, {
    // FerretDB v1 has no sessions or retryable writes; keep to the common subset.
    retryWrites: false,
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 50,
  });
  await client.connect();
  return client;
}

export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: number; message?: string };
  // FerretDB v1 reports a unique-index violation on update (findAndModify, update) as InternalError (code 1)
  return e.code === 11000 || (e.code === 1 && /UNIQUE constraint failed/.test(e.message ?? ''));
}

/** The database name in a connection string, if any (mongodb://host/name?...). */
export function databaseNameFromUrl(url: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

export interface IndexDecl {
  collection: string;
  key: IndexSpecification & Record<string, 1 | -1>;
  unique: boolean;
  name: string;
}

export async function ensureIndexes(db: Db, decls: readonly IndexDecl[]): Promise<void> {
  for (const d of decls) await db.collection(d.collection).createIndex(d.key, { unique: d.unique, name: d.name });
}
