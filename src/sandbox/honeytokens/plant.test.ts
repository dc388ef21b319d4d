import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoneytokenPlan } from '../types.js';
import { type Identity, pickIdentity } from './identity.js';
import { hostMapper, planHoneytokens, planTelltale, writePlan } from './plant.js';
import { seededRandom } from './random.js';
import { findTelltale } from './telltale.js';
import { base58Encode, hasValidChecksum, type SshKeyPair, sshKeyPair } from './tokens.js';

let id: Identity;
let key: SshKeyPair;
let plan: HoneytokenPlan;

beforeAll(() => {
  id = pickIdentity(seededRandom(7));
  key = sshKeyPair(`${id.user}@${id.hostname}`);
  plan = planHoneytokens(id, { random: seededRandom(7), sshKey: key });
});

const fileAt = (p: string) => plan.files.find((f) => f.path === p);
const text = (p: string) => {
  const c = fileAt(p)?.content;
  return typeof c === 'string' ? c : Buffer.from(c ?? new Uint8Array()).toString('latin1');
};

describe('planHoneytokens', () => {
  it('plants the credential files a stealer looks for', () => {
    const h = (p: string) => `${id.home}/${p}`;
    for (const p of [
      '.npmrc',
      '.ssh/id_rsa',
      '.ssh/id_rsa.pub',
      '.ssh/known_hosts',
      '.ssh/config',
      '.aws/credentials',
      '.aws/config',
      '.config/gcloud/application_default_credentials.json',
      '.docker/config.json',
      '.git-credentials',
      '.gitconfig',
      '.bash_history',
      '.zsh_history',
      '.bashrc',
      '.profile',
      'Documents/notes.txt',
    ]) {
      expect(fileAt(h(p)), p).toBeDefined();
    }
    expect(fileAt(`${id.project}/.env`)).toBeDefined();
    expect(fileAt(`${id.otherProject}/package.json`)).toBeDefined();
    expect(fileAt(h('.ssh/id_rsa'))?.mode).toBe(0o600);
    expect(fileAt(h('.bashrc'))?.mode).toBe(0o644);
    expect(text(h('.npmrc'))).toMatch(/^\/\/registry\.npmjs\.org\/:_authToken=npm_[A-Za-z0-9]{36}\n/);
    expect(text(h('.gitconfig'))).toContain(`email = ${id.email}`);
    expect(text(h('.gitconfig'))).toContain('helper = store');
    expect(text(h('.bash_history'))).toMatch(/^export GITHUB_TOKEN=ghp_[A-Za-z0-9]{36}$/m);
    expect(text(h('.zsh_history'))).toMatch(/^: \d{10}:0;/);
    expect(text(`${id.project}/.env`)).toMatch(/^DATABASE_URL=postgres:\/\/\w+:[A-Za-z0-9]{24}@localhost/m);
    expect(text(h('.config/google-chrome/Default/Login Data')).startsWith('SQLite format 3\0')).toBe(true);
    for (const p of plan.files) expect(p.path.startsWith(`${id.home}/`)).toBe(true);
  });

  it('puts every secret variable in the environment, each as a token', () => {
    for (const name of [
      'NPM_TOKEN',
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'SLACK_WEBHOOK_URL',
    ]) {
      const value = plan.env[name];
      expect(value, name).toBeDefined();
      const tok = plan.tokens.find((t) => t.env.includes(name));
      expect(tok, name).toBeDefined();
      expect(value).toContain(tok?.value);
    }
    expect(plan.env.NPM_TOKEN).toMatch(/^npm_[A-Za-z0-9]{36}$/);
    expect(plan.env.GITHUB_TOKEN).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
    expect(plan.env.AWS_ACCESS_KEY_ID).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  it('records where each token lives, and every value is unique and searchable', () => {
    const ids = new Set(plan.tokens.map((t) => t.id));
    expect(ids.size).toBe(plan.tokens.length);
    expect(new Set(plan.tokens.map((t) => t.value)).size).toBe(plan.tokens.length);
    for (const t of plan.tokens) {
      expect(t.value.length, t.id).toBeGreaterThanOrEqual(20);
      expect(t.files.length + t.env.length, t.id).toBeGreaterThan(0);
      for (const f of t.files) {
        const body = text(f);
        // docker keeps its secrets base64-encoded as user:secret
        const decoded = [...body.matchAll(/"auth": "([^"]+)"/g)].map((m) =>
          Buffer.from(m[1] as string, 'base64').toString(),
        );
        const found = body.includes(t.value) || decoded.some((d) => d.includes(t.value));
        if (t.id !== 'solana-keypair-base58') expect(found, `${t.id} in ${f}`).toBe(true);
      }
      if (/^(npm_|ghp_)/.test(t.value)) expect(hasValidChecksum(t.value), t.id).toBe(true);
    }
    const kinds = new Set(plan.tokens.map((t) => t.kind));
    for (const k of [
      'npm-token',
      'github-token',
      'aws-access-key',
      'aws-secret-key',
      'gcp-credentials',
      'docker-auth',
      'git-credentials',
      'ssh-private-key',
      'dotenv-secret',
      'slack-webhook',
      'shell-history-secret',
      'crypto-wallet',
    ] as const) {
      expect(kinds.has(k), k).toBe(true);
    }
    const solana = JSON.parse(text(`${id.home}/.config/solana/id.json`)) as number[];
    const b58 = plan.tokens.find((t) => t.id === 'solana-keypair-base58')?.value;
    expect(b58).toBe(base58Encode(Uint8Array.from(solana)));
    expect(plan.baitPaths.length).toBeGreaterThanOrEqual(4);
    for (const b of plan.baitPaths) expect(fileAt(b), b).toBeDefined();
  });

  it('has no tell-tale word anywhere in paths, contents or variables', () => {
    const check = (p: HoneytokenPlan) => {
      expect(planTelltale(p)).toBeUndefined();
      const all = [
        ...p.files.map(
          (f) =>
            `${f.path}\n${typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('latin1')}`,
        ),
        ...Object.entries(p.env).map(([k, v]) => `${k}=${v}`),
      ]
        .join('\n')
        .toLowerCase();
      for (const w of ['honey', 'canary', 'sandbox', 'fake', 'test', 'example', 'akiaiosfodnn7example'])
        expect(all).not.toContain(w);
    };
    check(plan);
    for (let seed = 100; seed < 130; seed++) {
      const other = pickIdentity(seededRandom(seed));
      check(planHoneytokens(other, { random: seededRandom(seed), sshKey: key }));
    }
    check(planHoneytokens(id)); // crypto random, fresh key
    expect(findTelltale('x-Test-y')).toBe('Test');
  });

  it('is unique per run', () => {
    const a = planHoneytokens(id, { sshKey: key });
    const b = planHoneytokens(id, { sshKey: key });
    const values = new Set(a.tokens.filter((t) => t.id !== 'ssh-private-key').map((t) => t.value));
    for (const t of b.tokens) if (t.id !== 'ssh-private-key') expect(values.has(t.value), t.id).toBe(false);
    const c = planHoneytokens(id);
    expect(c.tokens.find((t) => t.id === 'ssh-private-key')?.value).not.toBe(key.marker);
  });

  it('is reproducible from a seed (apart from the key)', () => {
    const again = planHoneytokens(id, { random: seededRandom(7), sshKey: key, now: 0 });
    const twice = planHoneytokens(id, { random: seededRandom(7), sshKey: key, now: 0 });
    expect(again.tokens).toEqual(twice.tokens);
  });
});

describe('writePlan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bulwark-home-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every file with its mode under the mapped directories', async () => {
    const home = path.join(dir, 'home');
    const project = path.join(dir, 'project');
    await writePlan(
      plan,
      hostMapper([
        { sandbox: id.home, host: home },
        { sandbox: id.project, host: project },
      ]),
    );
    const rel = (p: string) => path.posix.relative(id.home, p);
    expect(await readFile(path.join(home, '.npmrc'), 'utf8')).toBe(text(`${id.home}/.npmrc`));
    expect((await stat(path.join(home, '.ssh/id_rsa'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(home, '.ssh'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(home, '.bashrc'))).mode & 0o777).toBe(0o644);
    expect(await readFile(path.join(project, '.env'), 'utf8')).toBe(text(`${id.project}/.env`));
    const login = plan.baitPaths.find((p) => p.endsWith('Login Data')) as string;
    expect((await readFile(path.join(home, rel(login)))).subarray(0, 15).toString()).toBe('SQLite format 3');
    // the project mount takes the .env, so the home copy of the project dir has none
    await expect(lstat(path.join(home, rel(id.project), '.env'))).rejects.toThrow();
  });

  it('backdates files and directories, and sets the owner', async () => {
    const home = path.join(dir, 'dated');
    const now = Date.UTC(2026, 0, 15);
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    await writePlan(plan, hostMapper([{ sandbox: id.home, host: home }]), { now, owner: { uid, gid } });
    for (const p of ['.npmrc', '.ssh', '.ssh/id_rsa', '.config/gcloud']) {
      const st = await lstat(path.join(home, p));
      const age = (now - st.mtimeMs) / 86_400_000;
      expect(age, p).toBeGreaterThanOrEqual(10);
      expect(age, p).toBeLessThanOrEqual(401);
      expect(st.uid).toBe(uid);
    }
  });

  const one = (p: string): HoneytokenPlan => ({
    tokens: [],
    env: {},
    baitPaths: [],
    files: [{ path: p, content: 'x', mode: 0o644 }],
  });

  it('refuses paths that escape the mapped roots', async () => {
    const root = path.join(dir, 'escape');
    const map = hostMapper([{ sandbox: '/home/alex', host: root }]);
    await expect(writePlan(one('/home/alex/../../etc/passwd'), map)).rejects.toThrow(/plain absolute/);
    await expect(writePlan(one('home/alex/.npmrc'), map)).rejects.toThrow(/plain absolute/);
    await expect(writePlan(one('/etc/passwd'), map)).rejects.toThrow(/outside the mapped/);
    const sneaky = (p: string) => (p === '/home/alex/.npmrc' ? path.join(root, '..', 'outside') : map(p));
    await expect(writePlan(one('/home/alex/.npmrc'), sneaky)).rejects.toThrow(/escapes/);
    await expect(lstat(path.join(dir, 'outside'))).rejects.toThrow();
  });

  it('refuses to follow a symlink planted in the host directory', async () => {
    const root = path.join(dir, 'linked');
    const elsewhere = path.join(dir, 'elsewhere');
    await mkdir(root, { recursive: true });
    await mkdir(elsewhere, { recursive: true });
    await symlink(elsewhere, path.join(root, '.ssh'));
    await symlink(path.join(elsewhere, 'target'), path.join(root, '.npmrc'));
    const map = hostMapper([{ sandbox: '/home/alex', host: root }]);
    await expect(writePlan(one('/home/alex/.ssh/id_rsa'), map)).rejects.toThrow(/non-directory/);
    await expect(writePlan(one('/home/alex/.npmrc'), map)).rejects.toThrow(/ELOOP/);
    await expect(lstat(path.join(elsewhere, 'id_rsa'))).rejects.toThrow();
    await expect(lstat(path.join(elsewhere, 'target'))).rejects.toThrow();
  });
});
