import { describe, expect, it } from 'vitest';
import type { CodeFact } from '../../analysis/types.js';
import { shape } from '../exfil-archive-upload/sends-data.js';
import { at, call, packageFacts } from '../rule-test-kit.js';
import { exfilStorageToken as rule } from './exfil-storage-token.js';

const imp = (module: string): CodeFact => ({
  kind: 'import',
  module,
  dynamic: false,
  computed: false,
  at: at('a.js', 1),
});
const token = shape('hardcoded-oauth-secret', 'refresh token literal (40 characters)', at('a.js', 5));
const read = call('fs.readFileSync', 'filesystem-read', at('a.js', 9));

describe('exfil-storage-token', () => {
  it('grades an embedded refresh token by the storage SDK and file reads beside it', () => {
    expect(rule.run(packageFacts({ code: [imp('dropbox'), token, read] }))[0]).toMatchObject({
      confidence: 'high',
      message: 'a.js embeds a refresh token for dropbox and reads local files',
    });
    expect(rule.run(packageFacts({ code: [imp('megajs'), token] }))[0]?.confidence).toBe('medium');
    expect(rule.run(packageFacts({ code: [token] }))[0]?.confidence).toBe('low');
  });

  it('reports an embedded S3 secret access key', () => {
    const key = shape('hardcoded-oauth-secret', 'secret access key literal (40 characters)', at('a.js', 3));
    expect(rule.run(packageFacts({ code: [imp('@aws-sdk/client-s3'), key, read] }))).toHaveLength(1);
  });

  it('is silent for an OAuth client secret (installed-app CLIs ship one)', () => {
    const secret = shape('hardcoded-oauth-secret', 'client secret literal (24 characters)', at('a.js', 3));
    expect(rule.run(packageFacts({ code: [imp('googleapis'), secret, read] }))).toEqual([]);
  });

  it('is silent for a storage SDK without an embedded credential', () => {
    expect(rule.run(packageFacts({ code: [imp('dropbox'), read] }))).toEqual([]);
  });
});
