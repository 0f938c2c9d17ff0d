import { expect } from 'chai';
import { matchesPatterns, detectType, cleanFileName, contentDisposition } from '../../src/domains/files/files.types.js';
import { parseQuery, words } from '../../src/domains/search/search.tokens.js';

describe('search query parsing', () => {
  it('normalises words (case, accents) and splits operators', () => {
    expect(words('Ça VA? Café-crème ÜBER straße')).to.deep.equal(['ca', 'va', 'cafe', 'creme', 'uber', 'strasse']);
    const q = parseQuery('Release from:@Bob in:#general has:file on:2024-02-29 plan');
    expect(q).to.deep.include({ words: ['release'], prefix: 'plan', from: 'bob', in: 'general', has: ['file'], on: '2024-02-29' });
    const spaced = parseQuery('plan ') as { words: string[]; prefix?: string };
    expect(spaced.words).to.deep.equal(['plan']);
    expect(spaced.prefix).to.equal(undefined);
    expect(parseQuery('x before:2024-02-30')).to.have.property('error');
    expect(parseQuery('has:link')).to.have.property('error');
    const after = parseQuery('after:2024-01-31') as { after: Date };
    expect(after.after.toISOString()).to.equal('2024-02-01T00:00:00.000Z');
  });
});

describe('upload type rules', () => {
  it('matches MIME patterns', () => {
    expect(matchesPatterns('image/png', 'image/*, application/pdf')).to.equal(true);
    expect(matchesPatterns('application/pdf', ' IMAGE/*,application/pdf ')).to.equal(true);
    expect(matchesPatterns('text/html', 'image/*')).to.equal(false);
    expect(matchesPatterns('text/html', '')).to.equal(false);
    expect(matchesPatterns('text/html', '*/*')).to.equal(true);
  });

  it('detects the type from the bytes and refuses names that lie', async () => {
    expect(await detectType(Buffer.from('<!doctype html><p>x'), 'a.png', 'image/png')).to.deep.equal({ type: 'text/html', matchesName: false });
    expect(await detectType(Buffer.from('<!doctype html><p>x'), 'a.html', 'text/html')).to.deep.equal({ type: 'text/html', matchesName: true });
    expect(await detectType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg', '')).to.deep.equal({ type: 'image/svg+xml', matchesName: true });
    expect(await detectType(Buffer.from('<svg/>'), 'a.xml', '')).to.deep.equal({ type: 'image/svg+xml', matchesName: false });
    expect(await detectType(Buffer.from('a,b\n1,2\n'), 'data.csv', 'text/csv')).to.deep.equal({ type: 'text/csv', matchesName: true });
    expect(await detectType(Buffer.from('plain'), 'x.jpg', 'image/jpeg')).to.deep.equal({ type: 'text/plain', matchesName: false });
    expect((await detectType(Buffer.from([0, 1, 2, 3, 255]), 'blob', '')).type).to.equal('application/octet-stream');
  });

  it('cleans names and encodes Content-Disposition', () => {
    expect(cleanFileName('../../etc/passwd')).to.equal('passwd');
    expect(cleanFileName('C:\\Users\\me\\evil\u202egpj.exe')).to.equal('evilgpj.exe');
    expect(cleanFileName('')).to.equal('file');
    expect(contentDisposition('attachment', 'a "b".txt')).to.equal(`attachment; filename="a _b_.txt"; filename*=UTF-8''a%20%22b%22.txt`);
  });
});
