import { describe, expect, it } from 'vitest';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { credentialsWalletHarvest as rule } from './credentials-wallet-harvest.js';

const read = call('fs.readFileSync', 'filesystem-read', at('a.js', 9));
const metamask = shape('wallet-extension-id', 'nkbihfbeogaeaoehlefnkodbefgpgknn', at('a.js', 2));
const phantom = shape('wallet-extension-id', 'bfnaelmomeimhlpmgjnjophhpkkoljpa', at('a.js', 2));
const atomic = shape('wallet-app-data', 'atomic/Local Storage/leveldb', at('a.js', 3));
const loginData = shape('browser-secret-store', 'Login Data', at('a.js', 4));
const chrome = shape('browser-profile-dir', 'Google/Chrome/User Data', at('a.js', 5));

describe('credentials-wallet-harvest', () => {
  it('reports several wallet locations in a file that reads files at high confidence', () => {
    expect(rule.run(packageFacts({ code: [metamask, phantom, read] }))).toEqual([
      expect.objectContaining({ confidence: 'high', severity: 'high', line: 2 }),
    ]);
  });

  it('reports one wallet with a browser password store at high confidence', () => {
    expect(rule.run(packageFacts({ code: [atomic, loginData, read] }))[0]?.confidence).toBe('high');
  });

  it('reports a password store inside a browser profile at medium confidence', () => {
    expect(rule.run(packageFacts({ code: [loginData, chrome, read] }))[0]?.confidence).toBe('medium');
  });

  it('reports one wallet location credential-file-read does not know, and leaves the ones it knows', () => {
    expect(rule.run(packageFacts({ code: [atomic, read] }))[0]?.confidence).toBe('medium');
    expect(rule.run(packageFacts({ code: [metamask, read] }))).toEqual([]);
  });

  it('is silent when the file reads no files (a dapp detecting MetaMask in the browser)', () => {
    expect(rule.run(packageFacts({ code: [metamask, phantom, loginData] }))).toEqual([]);
  });

  it('is silent for a browser profile folder alone (launchers)', () => {
    expect(rule.run(packageFacts({ code: [chrome, read] }))).toEqual([]);
  });
});

describe('credentials-wallet-harvest with a send', () => {
  it('is high confidence for a password store in a browser profile in a file that sends', () => {
    const post = call('http.request', 'network', at('a.js', 30), ['http://203.0.113.9:1224/uploads']);
    expect(rule.run(packageFacts({ code: [loginData, chrome, read, post] }))[0]?.confidence).toBe('high');
  });
});
