import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRunningFirewall, isBulwarkStatus, STATUS_PATH } from './discover.js';
import { readState, removeState, stateFilePath, writeState } from './state-file.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback server answering the status path with `body` (and 404 elsewhere). */
const serve = async (body: unknown, status = 200): Promise<string> => {
  const server = createServer((req, res) => {
    if (req.url === STATUS_PATH) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    } else {
      res.writeHead(404).end();
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const tempState = () => join(mkdtempSync(join(tmpdir(), 'bulwark-state-')), 'firewall', 'running.json');

describe('state file', () => {
  it('lives under the data directory and round-trips', () => {
    expect(stateFilePath({ BULWARK_HOME: '/x' })).toBe(join('/x', 'firewall', 'running.json'));
    const file = tempState();
    const state = {
      url: 'http://127.0.0.1:4873',
      pid: process.pid,
      policy: 'defaults',
      startedAt: 'now',
      scopes: ['@a'],
    };
    writeState(file, state);
    expect(readState(file)).toEqual(state);
    removeState(file);
    expect(readState(file)).toBeUndefined();
  });

  it('is left alone when another process replaced it', () => {
    const file = tempState();
    writeState(file, { url: 'http://127.0.0.1:1', pid: process.pid + 1, policy: 'p', startedAt: 't' });
    removeState(file);
    expect(readState(file)?.pid).toBe(process.pid + 1);
  });

  it('ignores files that are not ours: bad JSON, a non-loopback URL, a bad pid', () => {
    const file = tempState();
    writeState(file, { url: 'http://127.0.0.1:1', pid: 1, policy: 'p', startedAt: 't' });
    for (const text of [
      '{',
      '{"url":"http://evil.example:80","pid":1,"policy":"p","startedAt":"t"}',
      '{"url":"http://127.0.0.1:1","pid":-1,"policy":"p","startedAt":"t"}',
    ]) {
      writeFileSync(file, text);
      expect(readState(file)).toBeUndefined();
    }
  });
});

describe('findRunningFirewall', () => {
  it('finds a live firewall that answers its status endpoint with its pid', async () => {
    const url = await serve({ name: 'bulwark', pid: process.pid });
    const file = tempState();
    writeState(file, { url, pid: process.pid, policy: 'defaults', startedAt: 't' });
    expect((await findRunningFirewall(file))?.url).toBe(url);
  });

  it('ignores a server that is not bulwark, or another bulwark than the file names', async () => {
    const file = tempState();
    for (const body of [{ name: 'verdaccio' }, { name: 'bulwark', pid: process.pid + 1 }]) {
      writeState(file, { url: await serve(body), pid: process.pid, policy: 'defaults', startedAt: 't' });
      expect(await findRunningFirewall(file)).toBeUndefined();
    }
    writeState(file, {
      url: await serve({ name: 'bulwark' }, 500),
      pid: process.pid,
      policy: 'd',
      startedAt: 't',
    });
    expect(await findRunningFirewall(file)).toBeUndefined();
  });

  it('ignores a stale file whose process is gone or whose port answers nothing', async () => {
    const file = tempState();
    const url = await serve({ name: 'bulwark' });
    writeState(file, { url, pid: 2 ** 22 + 12345, policy: 'defaults', startedAt: 't' });
    expect(await findRunningFirewall(file)).toBeUndefined();
    const closed = await serve({});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    writeState(file, { url: closed, pid: process.pid, policy: 'defaults', startedAt: 't' });
    expect(await findRunningFirewall(file)).toBeUndefined();
    expect(await findRunningFirewall(join(tmpdir(), 'no-such-dir', 'running.json'))).toBeUndefined();
  });

  it('accepts only status bodies naming bulwark', () => {
    expect(isBulwarkStatus({ name: 'bulwark' }, 1)).toBe(true);
    expect(isBulwarkStatus(null, 1)).toBe(false);
    expect(isBulwarkStatus('bulwark', 1)).toBe(false);
  });
});
