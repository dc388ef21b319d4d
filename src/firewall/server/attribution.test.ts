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
  it("keeps the upstream's tarball URLs only for npm 9+ in a wrapper run that asks for them", () => {
    const origin = 'http://127.0.0.1:4873';
    const asked = { prefix: '/-/bulwark/p/abc', upstreamTarballs: true as const };
    const npm11 = { client: 'npm' as const, clientVersion: 'npm/11.6.2' };
    expect(tarballBaseFor(npm11, asked, origin)).toBeUndefined();
    // A prefix alone (a registry URL written by hand) does not: npm would fetch upstream directly.
    expect(tarballBaseFor(npm11, { prefix: '/-/bulwark/p/abc' }, origin)).toBe(`${origin}/-/bulwark/p/abc`);
    expect(tarballBaseFor(npm11, { prefix: '' }, origin)).toBe(origin);
    // npm 8 may predate replace-registry-host=always; other clients fetch dist.tarball as given.
    expect(tarballBaseFor({ client: 'npm', clientVersion: 'npm/8.19.4' }, asked, origin)).toBe(
      `${origin}/-/bulwark/p/abc`,
    );
    expect(tarballBaseFor({ client: 'pnpm', clientVersion: 'pnpm/10.34.9' }, asked, origin)).toBe(
      `${origin}/-/bulwark/p/abc`,
    );
  });
});
