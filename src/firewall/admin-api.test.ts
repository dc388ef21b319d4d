import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../policy/firewall/load.js';
import type { FirewallPolicy } from '../policy/firewall/types.js';
import { ADMIN_PREFIX, adminPathOf, handleAdminRequest, MAX_ADMIN_BODY_BYTES } from './admin-api.js';
import { openDecisionLog } from './decision-log.js';
import type { DecisionRecord } from './types.js';
import { openWaiverStore } from './waiver-store.js';

const TOKEN = 'a-long-admin-token-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'bulwark-admin-'));
const decisionLog = openDecisionLog(join(dir, 'decisions.db'));
const waivers = openWaiverStore(join(dir, 'waivers.db'), { now: () => now });
let server: Server;
let base: string;
let policy: FirewallPolicy | undefined;

beforeAll(async () => {
  // A plain server that mounts the handler the way the firewall does.
  server = createServer((req, res) => {
    const sub = adminPathOf(req.url ?? '');
    if (sub === undefined) {
      res.writeHead(404).end();
      return;
    }
    void handleAdminRequest(
      req,
      res,
      { token: TOKEN, waivers, decisionLog, now: () => now, ...(policy ? { policy } : {}) },
      sub,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ADMIN_PREFIX}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  decisionLog.close();
  waivers.close();
  rmSync(dir, { recursive: true, force: true });
});

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };
const call = async (
  path: string,
  init: { method?: string; body?: string; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> => {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, body: init.body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

const decision = (over: Partial<DecisionRecord>): DecisionRecord => ({
  time: now.toISOString(),
  client: 'npm',
  package: 'left-pad',
  version: '1.3.0',
  request: 'tarball',
  action: 'allow',
  reason: 'no rule matched',
  ...over,
});

describe('adminPathOf', () => {
  it('recognises only paths under /-/bulwark/admin', () => {
    expect(adminPathOf('/-/bulwark/admin/decisions?limit=3')).toBe('decisions');
    expect(adminPathOf('/-/bulwark/admin/waivers/w-12/')).toBe('waivers/w-12');
    expect(adminPathOf('/-/bulwark/admin')).toBe('');
    expect(adminPathOf('/-/bulwark/administrator')).toBeUndefined();
    expect(adminPathOf('/left-pad')).toBeUndefined();
    expect(adminPathOf('/-/bulwark/p/abc/-/bulwark/admin/decisions')).toBeUndefined();
  });
});

describe('admin API over loopback HTTP', () => {
  it('refuses requests without the right bearer token, whatever the endpoint', async () => {
    for (const token of [null, '', 'wrong', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase()]) {
      const reply = await call('waivers', { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'missing or wrong admin token (Authorization: Bearer <token>)' });
      expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="bulwark-admin"');
    }
    expect((await call('no-such-endpoint', { token: 'wrong' })).status).toBe(401);
    expect(
      (await call('waivers', { token: null, headers: { authorization: `Basic ${TOKEN}` } })).status,
    ).toBe(401);
    const ok = await call('waivers', { token: null, headers: { authorization: `bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('adds, lists and removes waivers', async () => {
    expect((await call('waivers')).body).toEqual({ waivers: [] });
    const added = await call('waivers', {
      method: 'POST',
      body: JSON.stringify({
        package: 'left-pad',
        versions: '^1.3.0',
        reason: 'audited',
        expires: '2026-12-31',
      }),
    });
    expect(added.status).toBe(201);
    const waiver = added.body.waiver as { id: string };
    expect(waiver).toEqual({
      id: expect.stringMatching(/^w-[0-9a-f]{10}$/),
      createdAt: now.toISOString(),
      package: 'left-pad',
      versions: '^1.3.0',
      reason: 'audited',
      expires: '2026-12-31',
      source: expect.stringMatching(/^waiver w-/),
    });
    expect(added.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const listed = await call('waivers');
    expect(listed.body).toEqual({ waivers: [waiver] });
    expect(waivers.list().map((w) => w.id)).toEqual([waiver.id]);

    expect(await call(`waivers/${waiver.id}`, { method: 'DELETE' })).toMatchObject({
      status: 200,
      body: { removed: waiver.id },
    });
    expect(await call(`waivers/${waiver.id}`, { method: 'DELETE' })).toMatchObject({
      status: 404,
      body: { error: `no waiver with id "${waiver.id}"` },
    });
    expect(waivers.list()).toEqual([]);
  });

  it('answers a bad body with 400 and one clear message', async () => {
    const post = (body: string, headers?: Record<string, string>) =>
      call('waivers', { method: 'POST', body, ...(headers ? { headers } : {}) });
    expect(await post('{"package": "x",')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^the body is not valid JSON \(/) },
    });
    expect(await post('')).toMatchObject({
      status: 400,
      body: { error: 'the body is empty; send the waiver as JSON' },
    });
    expect(await post(JSON.stringify({ package: 'x', reason: 'r', expires: '2027-13-01' }))).toMatchObject({
      status: 400,
      body: { error: 'bad waiver: expires: "2027-13-01" is not a calendar date (YYYY-MM-DD)' },
    });
    expect(await post(JSON.stringify({ package: 'x', expires: '2027-01-01' }))).toMatchObject({
      status: 400,
      body: { error: 'bad waiver: `reason` is required' },
    });
    expect(await post('[1]')).toMatchObject({
      status: 400,
      body: { error: 'bad waiver: a waiver must be a JSON object' },
    });
    expect(await post('package=x', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({
      status: 415,
    });
    expect(waivers.list()).toEqual([]);
  });

  it('refuses a body over 64 KiB with 413 and keeps serving', async () => {
    const big = JSON.stringify({
      package: 'x',
      reason: 'r'.repeat(MAX_ADMIN_BODY_BYTES),
      expires: '2027-01-01',
    });
    expect((await call('waivers', { method: 'POST', body: big })).status).toBe(413);
    // Chunked, so the size is only found out while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}waivers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(16 * 1024, 0x20));
      req.end();
    });
    expect(status).toBe(413);
    expect((await call('waivers')).status).toBe(200);
    expect(waivers.list()).toEqual([]);
  });

  it('reads decisions with the log filters, newest first', async () => {
    const at = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    decisionLog.record(
      decision({ time: at(50), package: 'evil', action: 'deny', rule: 'malware', reason: 'MAL-1' }),
    );
    decisionLog.record(decision({ time: at(40), client: 'pnpm', session: 's1' }));
    decisionLog.record(
      decision({ time: at(30), package: 'fresh', action: 'hide', rule: 'minimumReleaseAge' }),
    );
    decisionLog.record(decision({ time: at(20 * 60), package: 'evil', action: 'deny', rule: 'malware' }));
    const packages = async (query: string) => {
      const reply = await call(`decisions${query}`);
      expect(reply.status).toBe(200);
      return (reply.body.decisions as DecisionRecord[]).map((d) => `${d.package}@${d.time}`);
    };
    expect(await packages('')).toEqual([
      `fresh@${at(30)}`,
      `left-pad@${at(40)}`,
      `evil@${at(50)}`,
      `evil@${at(1200)}`,
    ]);
    expect(await packages('?action=deny,hide&since=1h')).toEqual([`fresh@${at(30)}`, `evil@${at(50)}`]);
    expect(await packages('?action=deny&action=hide&limit=1')).toEqual([`fresh@${at(30)}`]);
    expect(await packages('?package=evil')).toEqual([`evil@${at(50)}`, `evil@${at(1200)}`]);
    expect(await packages('?client=pnpm&session=s1')).toEqual([`left-pad@${at(40)}`]);
    expect(await packages(`?since=${encodeURIComponent(at(45))}&rule=minimumReleaseAge`)).toEqual([
      `fresh@${at(30)}`,
    ]);
    expect((await call('decisions?limit=1')).body.decisions).toEqual([
      {
        time: at(30),
        client: 'npm',
        package: 'fresh',
        version: '1.3.0',
        request: 'tarball',
        action: 'hide',
        rule: 'minimumReleaseAge',
        reason: 'no rule matched',
      },
    ]);
  });

  it('answers bad queries, methods and paths with one line', async () => {
    expect(await call('decisions?action=block')).toMatchObject({
      status: 400,
      body: { error: 'action: "block" is not one of allow, warn, hide, deny' },
    });
    expect(await call('decisions?limit=0')).toMatchObject({
      status: 400,
      body: { error: 'limit: "0" is not a whole number from 1 to 10000' },
    });
    expect(await call('decisions?since=last-week')).toMatchObject({ status: 400 });
    expect(await call('decisions?pkg=x')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^unknown query parameter "pkg" \(allowed: package, action,/) },
    });
    expect(await call('decisions?client=npm&client=bun')).toMatchObject({ status: 400 });
    const wrongMethod = await call('decisions', { method: 'POST', body: '{}' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect((await call('waivers', { method: 'PUT', body: '{}' })).status).toBe(405);
    expect(await call('nothing')).toMatchObject({
      status: 404,
      body: { error: expect.stringMatching(/^no admin endpoint "nothing"/) },
    });
    expect(await call('waivers/%E0%A4%A', { method: 'DELETE' })).toMatchObject({ status: 400 });
    // No policy given to this server: the policy endpoint does not exist.
    expect((await call('policy')).status).toBe(404);
  });

  it('shows the policy in force and the stored waivers when the server passes its policy', async () => {
    policy = defaultPolicy();
    try {
      const reply = await call('policy');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ policy: JSON.parse(JSON.stringify(policy)), waivers: [] });
      expect((await call('policy', { method: 'DELETE' })).status).toBe(405);
    } finally {
      policy = undefined;
    }
  });
});
