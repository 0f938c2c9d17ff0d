import { expect } from 'chai';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadSecretsKey, SecretBox, SECRETS_KEY_FILE } from '../../src/domains/cloudlink/index.js';

describe('cloud secrets at rest', () => {
  it('generates a 0600 key file in DATA_DIR once and reuses it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'obm-key-')), 'nested');
    const k1 = loadSecretsKey(undefined, dir);
    const file = join(dir, SECRETS_KEY_FILE);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(k1).to.have.length(32);
    expect(loadSecretsKey(undefined, dir).equals(k1)).to.equal(true);
    expect(readFileSync(file, 'utf8').trim()).to.equal(k1.toString('hex'));
  });

  it('takes SECRETS_KEY as hex or base64 and refuses a wrong length', () => {
    const key = randomBytes(32);
    expect(loadSecretsKey(key.toString('hex'), '/nonexistent').equals(key)).to.equal(true);
    expect(loadSecretsKey(key.toString('base64'), '/nonexistent').equals(key)).to.equal(true);
    expect(() => loadSecretsKey('abcd', '/nonexistent')).to.throw(/32 bytes/);
  });

  it('seals with AES-256-GCM bound to a context: another key or context does not open it', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('ocs_secret', 'ctx-a');
    expect(JSON.stringify(sealed)).to.not.include('ocs_secret');
    expect(box.open(sealed, 'ctx-a')).to.equal('ocs_secret');
    expect(() => box.open(sealed, 'ctx-b')).to.throw();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'ctx-a')).to.throw();
    expect(box.seal('ocs_secret', 'ctx-a').iv).to.not.equal(sealed.iv);
  });
});
