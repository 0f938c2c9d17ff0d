// Makes sure Debian's Chromium (and a colour emoji font, so reactions in screenshots are
// readable) is installed for the browser tests. Never downloads a browser through
// Playwright: the tests drive the system package.
import { existsSync } from 'node:fs';
import { execSync, spawnSync } from 'node:child_process';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-noto-color-emoji'];

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

export function ensureChromium() {
  const missing = PACKAGES.filter((p) => !isInstalled(p));
  if (existsSync(CHROMIUM_PATH) && missing.length === 0) return CHROMIUM_PATH;
  const toInstall = missing.length ? missing : ['chromium'];
  console.log(`[ensure-chromium] installing ${toInstall.join(', ')} with apt-get (needs root)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync(`apt-get update && apt-get install -y --no-install-recommends ${toInstall.join(' ')}`, { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM_PATH)) throw new Error('chromium was installed but /usr/bin/chromium does not exist');
  return CHROMIUM_PATH;
}

// `node test/browser/ensure-chromium.mjs` runs it directly.
if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
