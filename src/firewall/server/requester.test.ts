import { describe, expect, it } from 'vitest';
import { clientFromUserAgent, encodeProjectId, stripProjectPrefix } from './requester.js';

describe('clientFromUserAgent', () => {
  it('names the client from the first product of the User-Agent', () => {
    expect(clientFromUserAgent('npm/11.6.2 node/v20.20.2 linux x64 workspaces/false')).toEqual({
      client: 'npm',
      clientVersion: 'npm/11.6.2',
    });
    expect(clientFromUserAgent('pnpm/10.20.0 npm/? node/v20.20.2 linux x64').client).toBe('pnpm');
    expect(clientFromUserAgent('yarn/4.5.0 npm/? node/v20.20.2 linux x64').clientVersion).toBe('yarn/4.5.0');
    expect(clientFromUserAgent('Bun/1.3.2').client).toBe('bun');
    expect(clientFromUserAgent('curl/8.5.0')).toEqual({ client: 'other', clientVersion: 'curl/8.5.0' });
    expect(clientFromUserAgent(undefined)).toEqual({ client: 'other' });
  });
});

describe('stripProjectPrefix', () => {
  it('strips the wrapper prefix and reads project and session from it', () => {
    const id = encodeProjectId({ project: '/home/me/app', session: 'abc' });
    expect(stripProjectPrefix(`/-/bulwark/p/${id}/@scope%2fpkg?write=true`)).toEqual({
      path: '/@scope%2fpkg?write=true',
      prefix: `/-/bulwark/p/${id}`,
      project: '/home/me/app',
      session: 'abc',
    });
  });

  it('reads the client a wrapper names, and only a known one', () => {
    const berry = encodeProjectId({ project: '/app', session: 's', client: 'yarn' });
    expect(stripProjectPrefix(`/-/bulwark/p/${berry}/left-pad`)).toMatchObject({ client: 'yarn' });
    const odd = Buffer.from(JSON.stringify({ session: 's', client: 'curl' })).toString('base64url');
    expect(stripProjectPrefix(`/-/bulwark/p/${odd}/left-pad`)).not.toHaveProperty('client');
    const npm = encodeProjectId({ session: 's', client: 'npm', tarballs: 'upstream' });
    expect(stripProjectPrefix(`/-/bulwark/p/${npm}/left-pad`)).toMatchObject({ upstreamTarballs: true });
    expect(stripProjectPrefix(`/-/bulwark/p/${berry}/left-pad`)).not.toHaveProperty('upstreamTarballs');
  });

  it('leaves other paths alone and drops an id it cannot read', () => {
    expect(stripProjectPrefix('/left-pad')).toEqual({ path: '/left-pad', prefix: '' });
    expect(stripProjectPrefix('/-/bulwark/p/%2e%2e/left-pad')).toEqual({ path: '/left-pad', prefix: '' });
    const notJson = Buffer.from('nope').toString('base64url');
    expect(stripProjectPrefix(`/-/bulwark/p/${notJson}/left-pad`)).toEqual({
      path: '/left-pad',
      prefix: `/-/bulwark/p/${notJson}`,
    });
  });
});
