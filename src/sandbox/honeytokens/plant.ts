/**
 * The fake home: every file and variable to plant for one run, and the writer that puts them in
 * the host directory bind-mounted as the sandbox's home.
 */

import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, lchown, lstat, lutimes, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { Honeytoken, HoneytokenKind, HoneytokenPlan } from '../types.js';
import { chromeLocalState, emptySqlite, ethereumKeystore, exodusSeco } from './browser-wallet.js';
import type { Identity } from './identity.js';
import {
  ALNUM,
  cryptoRandom,
  DIGITS,
  pick,
  type Random,
  randomBytes,
  randomIndex,
  randomString,
} from './random.js';
import { DEBIAN_BASHRC, DEBIAN_PROFILE } from './skel.js';
import { findTelltale } from './telltale.js';
import {
  awsAccessKeyId,
  awsAccountId,
  awsSecretAccessKey,
  base58Encode,
  dockerConfig,
  dockerHubToken,
  GITHUB_HOST_KEY,
  gcpAuthorizedUser,
  githubClassicToken,
  githubFineGrainedToken,
  hashedKnownHost,
  hexString,
  npmToken,
  type SshKeyPair,
  slackWebhookUrl,
  sshEd25519HostKey,
  sshKeyPair,
  stripeSecretKey,
} from './tokens.js';

export type PlanOptions = {
  random?: Random;
  /** Epoch milliseconds the plan pretends it is (history timestamps, file names). */
  now?: number;
  /** Reuse a key pair (RSA generation is the slow part, and not seedable). */
  sshKey?: SshKeyPair;
};

type PlannedFile = HoneytokenPlan['files'][number];

/** Builds the plan; retries the (rare) draw whose random text happens to spell a tell-tale. */
export function planHoneytokens(identity: Identity, options: PlanOptions = {}): HoneytokenPlan {
  const random = options.random ?? cryptoRandom;
  const sshKey = options.sshKey ?? sshKeyPair(`${identity.user}@${identity.hostname}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const plan = buildPlan(identity, random, options.now ?? Date.now(), sshKey);
    if (planTelltale(plan) === undefined) return plan;
  }
  throw new Error('could not draw honeytokens free of tell-tale words');
}

/** The first tell-tale word found in a plan's paths, contents or variables, if any. */
export function planTelltale(plan: HoneytokenPlan): string | undefined {
  for (const f of plan.files) {
    const hit = findTelltale(f.path) ?? findTelltale(f.content);
    if (hit) return `${f.path}: ${hit}`;
  }
  for (const [k, v] of Object.entries(plan.env)) {
    const hit = findTelltale(k) ?? findTelltale(v);
    if (hit) return `$${k}: ${hit}`;
  }
  return undefined;
}

function buildPlan(id: Identity, random: Random, now: number, sshKey: SshKeyPair): HoneytokenPlan {
  const h = (p: string) => `${id.home}/${p}`;
  const files: PlannedFile[] = [];
  const tokens: Honeytoken[] = [];
  const env: Record<string, string> = {};
  const baitPaths: string[] = [];
  const file = (p: string, content: string | Uint8Array, mode = 0o644) => {
    files.push({ path: p, content, mode });
  };
  const token = (
    tokenId: string,
    kind: HoneytokenKind,
    value: string,
    where: { files?: string[]; env?: string[] },
  ) => {
    tokens.push({ id: tokenId, kind, value, files: where.files ?? [], env: where.env ?? [] });
  };
  const setEnv = (name: string, tokenId: string, kind: HoneytokenKind, value: string) => {
    env[name] = value;
    token(tokenId, kind, value, { env: [name] });
  };
  const app = path.posix.basename(id.project);
  const dbName = app.replaceAll('-', '_');

  // npm
  const npmrcToken = npmToken(random);
  file(
    h('.npmrc'),
    `//registry.npmjs.org/:_authToken=${npmrcToken}\nfund=false\nsave-exact=true\ninit-author-name=${id.fullName}\n`,
    0o600,
  );
  token('npmrc-token', 'npm-token', npmrcToken, { files: [h('.npmrc')] });

  // SSH
  file(h('.ssh/id_rsa'), sshKey.privateKey, 0o600);
  file(h('.ssh/id_rsa.pub'), `${sshKey.publicKey}\n`);
  const bastionIp = `10.${randomIndex(random, 250) + 1}.${randomIndex(random, 250) + 1}.${randomIndex(random, 250) + 2}`;
  const knownHosts = [
    hashedKnownHost(random, 'github.com', GITHUB_HOST_KEY),
    hashedKnownHost(random, bastionIp, sshEd25519HostKey()),
    hashedKnownHost(
      random,
      'gitlab.com',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfuCHKVTjquxvt6CM6tdG4SLp1Btn/nOeHHE5UOzRdf',
    ),
  ];
  file(h('.ssh/known_hosts'), `${knownHosts.join('\n')}\n`);
  file(
    h('.ssh/config'),
    `Host github.com\n  IdentityFile ~/.ssh/id_rsa\n  AddKeysToAgent yes\n\nHost bastion\n  HostName ${bastionIp}\n  User ubuntu\n  IdentityFile ~/.ssh/id_rsa\n  ServerAliveInterval 60\n`,
    0o600,
  );
  token('ssh-private-key', 'ssh-private-key', sshKey.marker, { files: [h('.ssh/id_rsa')] });

  // AWS
  const account = awsAccountId(random);
  const awsKey = awsAccessKeyId(random, account);
  const awsSecret = awsSecretAccessKey(random);
  const region = pick(random, ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2', 'eu-north-1']);
  file(
    h('.aws/credentials'),
    `[default]\naws_access_key_id = ${awsKey}\naws_secret_access_key = ${awsSecret}\n`,
    0o600,
  );
  file(
    h('.aws/config'),
    `[default]\nregion = ${region}\noutput = json\n\n[profile deploy]\nrole_arn = arn:aws:iam::${account}:role/deploy\nsource_profile = default\nregion = ${region}\n`,
  );
  token('aws-access-key', 'aws-access-key', awsKey, { files: [h('.aws/credentials')] });
  token('aws-secret-key', 'aws-secret-key', awsSecret, { files: [h('.aws/credentials')] });

  // Google Cloud
  const gcp = gcpAuthorizedUser(random, `${app}-${randomString(random, DIGITS, 6)}`);
  const adc = h('.config/gcloud/application_default_credentials.json');
  file(adc, gcp.json, 0o600);
  token('gcp-refresh-token', 'gcp-credentials', gcp.refreshToken, { files: [adc] });

  // Docker
  const dockerToken = dockerHubToken(random);
  const ghcrToken = githubClassicToken(random);
  file(
    h('.docker/config.json'),
    dockerConfig([
      { registry: 'https://index.docker.io/v1/', user: id.user, secret: dockerToken },
      { registry: 'ghcr.io', user: id.githubLogin, secret: ghcrToken },
    ]),
    0o600,
  );
  token('docker-hub-token', 'docker-auth', dockerToken, { files: [h('.docker/config.json')] });
  token('docker-ghcr-token', 'docker-auth', ghcrToken, { files: [h('.docker/config.json')] });

  // git
  const gitToken = githubClassicToken(random);
  file(h('.git-credentials'), `https://${id.githubLogin}:${gitToken}@github.com\n`, 0o600);
  token('git-credentials', 'git-credentials', gitToken, { files: [h('.git-credentials')] });
  file(
    h('.gitconfig'),
    `[user]\n\tname = ${id.fullName}\n\temail = ${id.email}\n[credential]\n\thelper = store\n[init]\n\tdefaultBranch = main\n[pull]\n\trebase = false\n[core]\n\teditor = vim\n`,
  );

  // Shell history and startup files
  const historyToken = githubClassicToken(random);
  const zshToken = npmToken(random);
  const cdProject = `cd ${id.project.replace(id.home, '~')}`;
  const bash = [
    'ls -la',
    cdProject,
    'git status',
    'git pull',
    'npm install',
    'npm run dev',
    'git checkout -b fix/session-timeout',
    'git add -A',
    'git commit -m "fix session timeout"',
    `export GITHUB_TOKEN=${historyToken}`,
    'gh pr create --fill',
    'docker compose up -d',
    'docker ps',
    'ssh bastion',
    'cat .env',
    'npm run lint',
    'npx tsc --noEmit',
    'htop',
    'git log --oneline | head -20',
    'npm outdated',
    `cd ${id.otherProject.replace(id.home, '~')}`,
    'code .',
    'history | grep docker',
  ];
  file(h('.bash_history'), `${bash.join('\n')}\n`, 0o600);
  token('bash-history-secret', 'shell-history-secret', historyToken, { files: [h('.bash_history')] });
  const zsh = [
    cdProject,
    'git fetch --all',
    'npm ci',
    `npm config set //registry.npmjs.org/:_authToken=${zshToken}`,
    'npm whoami',
    'npm publish --access public',
    'git push origin main --tags',
    'kubectl get pods -n staging',
    'aws sts get-caller-identity',
    'gcloud auth application-default login',
    'ls ~/.ssh',
  ];
  let t = Math.floor(now / 1000) - 86_400 * (3 + randomIndex(random, 20));
  const zshLines = zsh.map((c) => {
    t += 20 + randomIndex(random, 900);
    return `: ${t}:0;${c}`;
  });
  file(h('.zsh_history'), `${zshLines.join('\n')}\n`, 0o600);
  token('zsh-history-secret', 'shell-history-secret', zshToken, { files: [h('.zsh_history')] });
  file(
    h('.bashrc'),
    `${DEBIAN_BASHRC}\nexport PATH="$HOME/.local/bin:$PATH"\nexport EDITOR=vim\nalias gs='git status'\nalias dcu='docker compose up -d'\n`,
  );
  file(h('.profile'), DEBIAN_PROFILE);
  file(
    h('.bash_logout'),
    '# ~/.bash_logout: executed by bash(1) when login shell exits.\n\n# when leaving the console clear the screen to increase privacy\n\nif [ "$SHLVL" = 1 ]; then\n    [ -x /usr/bin/clear_console ] && /usr/bin/clear_console -q\nfi\n',
  );

  // The project's .env
  const dbPassword = randomString(random, ALNUM, 24);
  const stripe = stripeSecretKey(random);
  const jwt = hexString(random, 64);
  const dotenv = `${id.project}/.env`;
  file(
    dotenv,
    `NODE_ENV=development\nPORT=3000\nDATABASE_URL=postgres://${dbName}:${dbPassword}@localhost:5432/${dbName}\nREDIS_URL=redis://localhost:6379/0\nSTRIPE_SECRET_KEY=${stripe}\nJWT_SECRET=${jwt}\nLOG_LEVEL=debug\n`,
  );
  token('dotenv-database-password', 'dotenv-secret', dbPassword, { files: [dotenv] });
  token('dotenv-stripe-key', 'dotenv-secret', stripe, { files: [dotenv] });
  token('dotenv-jwt-secret', 'dotenv-secret', jwt, { files: [dotenv] });

  // Browser profile: empty but valid SQLite databases and a Local State, touched only by stealers.
  const chrome = h('.config/google-chrome');
  for (const db of ['Default/Login Data', 'Default/Cookies', 'Default/Web Data']) {
    file(`${chrome}/${db}`, emptySqlite(random), 0o600);
    baitPaths.push(`${chrome}/${db}`);
  }
  file(`${chrome}/Local State`, chromeLocalState(id, now));
  baitPaths.push(`${chrome}/Local State`);

  // Wallets
  const seco = h('.config/Exodus/exodus.wallet/seed.seco');
  file(seco, exodusSeco(random), 0o600);
  baitPaths.push(seco);
  const keystore = ethereumKeystore(random, now);
  const keystorePath = h(`.ethereum/keystore/${keystore.name}`);
  file(keystorePath, keystore.json, 0o600);
  token('ethereum-keystore', 'crypto-wallet', keystore.ciphertext, { files: [keystorePath] });
  const solanaKey = randomBytes(random, 64);
  const solana = `[${Array.from(solanaKey).join(',')}]`;
  const solanaPath = h('.config/solana/id.json');
  file(solanaPath, solana, 0o600);
  token('solana-keypair', 'crypto-wallet', solana.slice(0, solana.indexOf(',', 48)), { files: [solanaPath] });
  // Stealers often send the key as wallets display it, base58, rather than the file's JSON.
  token('solana-keypair-base58', 'crypto-wallet', base58Encode(solanaKey), { files: [solanaPath] });

  // Secrets in the environment (distinct values, so a report can tell env from files).
  setEnv('NPM_TOKEN', 'env-npm-token', 'npm-token', npmToken(random));
  setEnv('GITHUB_TOKEN', 'env-github-token', 'github-token', githubClassicToken(random));
  setEnv('GH_TOKEN', 'env-gh-token', 'github-token', githubFineGrainedToken(random));
  const envAccount = awsAccountId(random);
  setEnv('AWS_ACCESS_KEY_ID', 'env-aws-access-key', 'aws-access-key', awsAccessKeyId(random, envAccount));
  setEnv('AWS_SECRET_ACCESS_KEY', 'env-aws-secret-key', 'aws-secret-key', awsSecretAccessKey(random));
  const webhook = slackWebhookUrl(random);
  env.SLACK_WEBHOOK_URL = webhook;
  // The path part: still whole when the URL is re-encoded, or its scheme/host dropped.
  token('env-slack-webhook', 'slack-webhook', webhook.slice('https://hooks.slack.com/services/'.length), {
    env: ['SLACK_WEBHOOK_URL'],
  });

  // Ordinary clutter, so the home does not look staged.
  file(h('.cache/node-gyp/20.19.0/installVersion'), '11\n');
  file(h('.lesshst'), '.less-history-file:\n', 0o600);
  file(
    h('Documents/notes.txt'),
    `- renew TLS cert for staging before the 14th\n- ask Ops about the bastion IP change\n- ${app}: migrate sessions to redis\n- dentist thursday 16:30\n`,
  );
  file(
    `${id.otherProject}/package.json`,
    `${JSON.stringify(
      {
        name: path.posix.basename(id.otherProject),
        version: `0.${randomIndex(random, 9) + 1}.${randomIndex(random, 12)}`,
        private: true,
        scripts: { dev: 'vite', build: 'vite build', lint: 'eslint .' },
        dependencies: { react: '^18.3.1', 'react-dom': '^18.3.1' },
        devDependencies: { vite: '^5.4.10', eslint: '^9.13.0' },
      },
      null,
      2,
    )}\n`,
  );

  return { tokens, files, env, baitPaths };
}

// ── Writing the plan ────────────────────────────────────────────────────────────────────────────

/** Maps a sandbox path to the host path that will appear there, or undefined when unmapped. */
export type HostMapper = (sandboxPath: string) => string | undefined;

/** A mapper from bind mounts; the deepest mount containing the path wins. */
export function hostMapper(mounts: Array<{ sandbox: string; host: string }>): HostMapper {
  const sorted = [...mounts].sort((a, b) => b.sandbox.length - a.sandbox.length);
  return (p) => {
    for (const m of sorted) {
      if (p === m.sandbox) return m.host;
      const rel = path.posix.relative(m.sandbox, p);
      if (rel !== '' && !rel.startsWith('..') && !path.posix.isAbsolute(rel))
        return path.join(m.host, ...rel.split('/'));
    }
    return undefined;
  };
}

/** Directories whose mode matters to the programs that read them. */
const PRIVATE_DIRS = new Set(['.ssh', '.gnupg']);

export type WriteOptions = {
  /** Owner for every file and created directory: the host ids that appear as the sandbox user. */
  owner?: { uid: number; gid: number };
  /**
   * Give files and directories past modification times (10–400 days before `now`, stable per
   * path), so nothing in the home looks created a second before the package ran. Default true.
   */
  backdate?: boolean;
  now?: number;
};

/**
 * Writes every planned file under the host directories the mapper names. Refuses sandbox paths
 * that are not plain absolute paths, that map nowhere, whose host path leaves its mount root, or
 * whose way down crosses a symlink or a non-directory.
 */
export async function writePlan(
  plan: HoneytokenPlan,
  hostRoot: HostMapper,
  options: WriteOptions = {},
): Promise<void> {
  const now = options.now ?? Date.now();
  // host path -> sandbox path, of what this call created
  const written = new Map<string, string>();
  const dirs = new Map<string, string>();
  for (const f of plan.files) {
    const p = f.path;
    if (!path.posix.isAbsolute(p) || path.posix.normalize(p) !== p || p.includes('\0') || p.endsWith('/')) {
      throw new Error(`honeytoken path is not a plain absolute path: ${JSON.stringify(p)}`);
    }
    const host = hostRoot(p);
    if (host === undefined) throw new Error(`honeytoken path is outside the mapped directories: ${p}`);
    // The mount root: the highest ancestor whose host path is, level by level, the parent of the
    // one below it. Anything else (a `..`, a jump elsewhere) is an escape.
    const parts = p.split('/').slice(1);
    let rootDepth = parts.length;
    let rootHost = path.resolve(host);
    for (let i = parts.length - 1; i >= 1; i--) {
      const mapped = hostRoot(`/${parts.slice(0, i).join('/')}`);
      if (mapped === undefined || path.resolve(mapped) !== path.dirname(rootHost)) break;
      rootDepth = i;
      rootHost = path.resolve(mapped);
    }
    if (rootDepth === parts.length) throw new Error(`honeytoken path escapes its mount: ${p} -> ${host}`);
    const expected = path.join(rootHost, ...parts.slice(rootDepth));

    await mkdir(rootHost, { recursive: true });
    await assertDirectory(rootHost, p);
    let dir = rootHost;
    let sandboxDir = `/${parts.slice(0, rootDepth).join('/')}`;
    for (const name of parts.slice(rootDepth, -1)) {
      dir = path.join(dir, name);
      sandboxDir = `${sandboxDir}/${name}`;
      const mode = PRIVATE_DIRS.has(name) ? 0o700 : 0o755;
      const made = await mkdir(dir, { mode }).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
          return false;
        },
      );
      await assertDirectory(dir, p);
      if (made) {
        await chmod(dir, mode);
        if (options.owner) await lchown(dir, options.owner.uid, options.owner.gid);
        dirs.set(dir, sandboxDir);
      }
    }
    const handle = await open(
      expected,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      f.mode,
    );
    try {
      await handle.writeFile(f.content);
      await handle.chmod(f.mode);
      if (options.owner) await handle.chown(options.owner.uid, options.owner.gid);
    } finally {
      await handle.close();
    }
    written.set(expected, p);
  }
  if (options.backdate === false) return;
  // Directories after all files: writing a file updates its directory's time.
  for (const [host, sandbox] of [...written, ...dirs]) {
    const when = new Date(now - pastOffset(sandbox));
    await lutimes(host, when, when);
  }
}

/** 10–400 days plus some seconds, derived from the path so a re-run gives the same times. */
function pastOffset(sandboxPath: string): number {
  const h = createHash('sha256').update(sandboxPath).digest();
  return (10 + (h.readUInt16BE(0) % 390)) * 86_400_000 + (h.readUInt32BE(2) % 86_400_000);
}

async function assertDirectory(dir: string, forPath: string): Promise<void> {
  const st: Stats = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`honeytoken path ${forPath} crosses a non-directory: ${dir}`);
}
