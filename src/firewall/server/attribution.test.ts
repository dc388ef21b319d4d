import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAttribution, tarballBaseFor } from './attribution.js';
import { encodeProjectId, stripProjectPrefix } from './requester.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const prefixed = (marks: Parameters<typeof encodeProjectId>[0], path: string) =>
  stripProjectPrefix(`/-/bulwark/p/${encodeProjectId(marks)}${path}`);

describe('createAttribution', () => {
  it("carries a wrapper run's project and session to npm's unprefixed tarball requests by npm-session", () => {
    const attribute = createAttribution();
    const npm = { 'user-agent': 'npm/11.6.2 node/v20.20.2 linux x64', 'npm-session': 'f00d' };
    expect(attribute(request(npm), prefixed({ project: '/app', session: 's1' }, '/left-pad'))).toEqual({
      client: 'npm',
      clientVersion: 'npm/11.6.2',
      project: '/app',
      session: 's1',
    });
    expect(attribute(request(npm), stripProjectPrefix('/left-pad/-/left-pad-1.3.0.tgz'))).toMatchObject({
      project: '/app',
      session: 's1',
    });
    // Another npm command, or none, is not attributed.
    const other = { ...npm, 'npm-session': 'beef' };
    expect(attribute(request(other), stripProjectPrefix('/left-pad'))).not.toHaveProperty('session');
  });

  it("takes the wrapper's client name only where the User-Agent names none it knows", () => {
    const attribute = createAttribution();
    const got = { 'user-agent': 'got (https://github.com/sindresorhus/got)' };
    expect(attribute(request(got), prefixed({ session: 's', client: 'yarn' }, '/x')).client).toBe('yarn');
    const pnpm = { 'user-agent': 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64' };
    expect(attribute(request(pnpm), prefixed({ session: 's', client: 'yarn' }, '/x')).client).toBe('pnpm');
  });
});

describe('tarballBaseFor', () => {
  it("keeps the upstream's tarball URLs for npm in a wrapper run only", () => {
    const origin = 'http://127.0.0.1:4873';
    expect(tarballBaseFor({ client: 'npm' }, origin, '/-/bulwark/p/abc')).toBeUndefined();
    expect(tarballBaseFor({ client: 'npm' }, origin, '')).toBe(origin);
    expect(tarballBaseFor({ client: 'pnpm' }, origin, '/-/bulwark/p/abc')).toBe(`${origin}/-/bulwark/p/abc`);
  });
});
