#!/usr/bin/env node
// Makes sure the embedded database binary (FerretDB v1.24.2) exists in .tools/bin.
// Built from the Go module proxy source; nothing else is downloaded.
// Skipped when MONGO_URL points at an external MongoDB/FerretDB.
import { ferretdbBinaryPath, ensureFerretdb } from './ferretdb-lib.mjs';

if (process.env.MONGO_URL) {
  console.log('[ensure-db] MONGO_URL is set: the embedded database is not needed.');
  process.exit(0);
}
try {
  const bin = await ensureFerretdb();
  console.log(`[ensure-db] FerretDB ready: ${bin}`);
} catch (err) {
  console.error(`[ensure-db] ${err.message}`);
  console.error(`[ensure-db] expected binary at ${ferretdbBinaryPath()}`);
  process.exit(1);
}
