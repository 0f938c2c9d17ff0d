// Shared by the install script, the server's embedded launcher and the test kit.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function ferretdbBinaryPath() {
  return process.env.FERRETDB_BIN || join(repoRoot, '.tools', 'bin', 'ferretdb');
}

function versionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /version:\s*(v[\d.]+)/.exec(r.stdout);
  return m ? m[1] : null;
}

export const MISSING_GO_MESSAGE =
  'The embedded database needs the `ferretdb` binary, which is built with Go, and Go is not installed. ' +
  'Install Go 1.24 or newer (Debian: `apt-get install golang-go`, or https://go.dev/dl/), ' +
  'or set MONGO_URL to a MongoDB or FerretDB connection string.';

function hasGo() {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
}

/** Returns the binary path, building it first when it is missing. */
export async function ensureFerretdb() {
  const bin = ferretdbBinaryPath();
  if (existsSync(bin) && versionOf(bin) === FERRETDB_VERSION) return bin;
  if (!hasGo()) throw new Error(MISSING_GO_MESSAGE);

  console.log(`[ensure-db] building FerretDB ${FERRETDB_VERSION} with Go (about a minute, once)...`);
  const env = { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' };
  // `go install pkg@version` produces a binary that panics on start (its embedded
  // version.txt is empty in the module zip), so build from a copy with the version filled in.
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
      encoding: 'utf8', env, cwd: repoRoot,
    }),
  );
  const src = join(repoRoot, '.tools', 'ferretdb-src');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(dirname(src), { recursive: true });
  cpSync(info.Dir, src, { recursive: true });
  chmodRecursive(src);
  writeFileSync(join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  mkdirSync(dirname(bin), { recursive: true });
  const build = (extraEnv) =>
    spawnSync('go', ['build', '-o', bin, './cmd/ferretdb'], {
      cwd: src, env: { ...env, ...extraEnv }, stdio: 'inherit',
    }).status === 0;
  // A Go too old for the release's go.mod can fetch the matching toolchain via the module proxy.
  if (!build({}) && !build({ GOTOOLCHAIN: 'go1.24.3' })) {
    throw new Error('go build of FerretDB failed (see output above)');
  }
  rmSync(src, { recursive: true, force: true });
  const v = versionOf(bin);
  if (v !== FERRETDB_VERSION) throw new Error(`built ferretdb reports version ${v}`);
  return bin;
}

function chmodRecursive(dir) {
  execFileSync('chmod', ['-R', 'u+w', dir]);
}
