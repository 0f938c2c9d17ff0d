import { MongoClient, type Db, type IndexSpecification } from 'mongodb';

/** One client per cloud process; the database name comes from CLOUD_MONGO_URL. */
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

export interface IndexDecl {
  collection: string;
  key: IndexSpecification & Record<string, 1 | -1>;
  unique: boolean;
  name: string;
}

export async function ensureIndexes(db: Db, decls: readonly IndexDecl[]): Promise<void> {
  for (const d of decls) {
    await db.collection(d.collection).createIndex(d.key, { unique: d.unique, name: d.name });
  }
}
