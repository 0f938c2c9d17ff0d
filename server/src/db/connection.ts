import { MongoClient, type Db } from 'mongodb';

/** One client per server process; each Workspace gets its own Db (database) from it. */
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
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** The database name in a connection string, if any (mongodb://host/name?...). */
export function databaseNameFromUrl(url: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}
