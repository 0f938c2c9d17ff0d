// Makes sure Debian's Chromium is installed for the browser tests.
// Never downloads a browser through Playwright: we drive the system package.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  console.log('[ensure-chromium] /usr/bin/chromium is missing: installing the Debian package (needs root)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update && apt-get install -y --no-install-recommends chromium', { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM_PATH)) throw new Error('chromium was installed but /usr/bin/chromium does not exist');
  return CHROMIUM_PATH;
}

// `node test/browser/ensure-chromium.mjs` runs it directly.
if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
