#!/usr/bin/env node
// Runs every test suite with mocha and ends with one summary line: "tests: N passed, N failed".
// `npm test` builds first (pretest). Suites: server (unit + integration), packages, cross-service (test/).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import Mocha from 'mocha';

const root = resolve(import.meta.dirname, '..');
const only = process.argv.slice(2); // optional folder filters, e.g. `npm test -- server/dist/test/unit`

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const suiteDirs = [
  'server/dist/test',
  'packages/cloud/dist/test',
  'apps-marketplace/dist/test',
  'test/dist',
].map((d) => join(root, d));

let files = suiteDirs.flatMap(findTests).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.some((f) => f.includes(`${join('test', 'dist', 'browser')}`))) {
  execFileSync('node', [join(root, 'test', 'browser', 'ensure-chromium.mjs')], { stdio: 'inherit' });
}

const mocha = new Mocha({ timeout: 30_000, reporter: 'spec', color: false });
const setup = join(root, 'server', 'dist', 'test', 'setup.js');
if (existsSync(setup)) mocha.rootHooks((await import(setup)).mochaHooks);
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
const started = Date.now();
mocha.run((failures) => {
  const stats = mocha.suite ? undefined : undefined;
  void stats;
  const passed = runnerStats.passes;
  const failed = runnerStats.failures;
  console.log(`\n${files.length} test files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`tests: ${passed} passed, ${failed} failed${runnerStats.pending ? `, ${runnerStats.pending} skipped` : ''}`);
  process.exitCode = failures > 0 || passed === 0 ? 1 : 0;
  // servers and databases started by the suites are stopped by the root hooks; do not hang on stray handles
  setTimeout(() => process.exit(process.exitCode), 2000).unref();
}).on('end', function () {
  runnerStats = this.stats;
});
let runnerStats = { passes: 0, failures: 0, pending: 0 };
