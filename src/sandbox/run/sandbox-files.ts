import { randomInt } from 'node:crypto';
import type { Identity } from '../honeytokens/identity.js';

/** Identity of one run: who the package thinks it runs as, and where. */
export type RunIdentity = Identity;

/** A GitHub-hosted runner, for the CI-like run (payloads that only fire in CI). */
export const ciIdentity = (appName: string, owner: string): RunIdentity => ({
  user: 'runner',
  hostname: `fv-az${randomInt(100, 999)}-${randomInt(100, 999)}`,
  home: '/home/runner',
  project: `/home/runner/work/${appName}/${appName}`,
  otherProject: '/home/runner/work/_actions/actions/checkout',
  fullName: 'runner',
  githubLogin: owner,
  email: `${randomInt(1_000_000, 90_000_000)}+${owner}@users.noreply.github.com`,
});

const hex = (length: number) => Array.from({ length }, () => '0123456789abcdef'[randomInt(16)]).join('');

/** A CI environment as GitHub Actions sets it, for the second run. */
export const ciEnvironment = (
  identity: RunIdentity,
  appName: string,
  owner: string,
): Record<string, string> => ({
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'build',
  GITHUB_RUN_ID: String(randomInt(1_000_000_000, 2_000_000_000)),
  GITHUB_RUN_NUMBER: String(randomInt(10, 900)),
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_REPOSITORY: `${owner}/${appName}`,
  GITHUB_REPOSITORY_OWNER: owner,
  GITHUB_ACTOR: owner,
  GITHUB_SHA: hex(40),
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_WORKSPACE: identity.project,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_NAME: `GitHub Actions ${randomInt(1, 40)}`,
  RUNNER_ENVIRONMENT: 'github-hosted',
  RUNNER_TEMP: `${identity.home}/work/_temp`,
  RUNNER_TOOL_CACHE: '/opt/hostedtoolcache',
  ImageOS: 'ubuntu24',
  ImageVersion: `2026${String(randomInt(1, 12)).padStart(2, '0')}${String(randomInt(1, 28)).padStart(2, '0')}.1`,
});

/** The environment of every phase: a developer's login shell, plus the run's secrets. */
export const baseEnvironment = (identity: RunIdentity): Record<string, string> => ({
  HOME: identity.home,
  USER: identity.user,
  LOGNAME: identity.user,
  SHELL: '/bin/bash',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'en_US.UTF-8',
  TERM: 'xterm-256color',
  COLORTERM: 'truecolor',
  EDITOR: 'vim',
  PWD: identity.project,
  SHLVL: '1',
});

/** /etc files naming the run's host and user (the host's own are mounted read-only underneath). */
export const etcFiles = (identity: RunIdentity, resolver: string): Record<string, string> => ({
  hostname: `${identity.hostname}\n`,
  hosts: `127.0.0.1\tlocalhost\n127.0.1.1\t${identity.hostname}\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`,
  'resolv.conf': `nameserver ${resolver}\noptions edns0 trust-ad\nsearch .\n`,
  passwd: [
    'root:x:0:0:root:/root:/bin/bash',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
    'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
    'sync:x:4:65534:sync:/bin:/bin/sync',
    'man:x:6:12:man:/var/cache/man:/usr/sbin/nologin',
    'mail:x:8:8:mail:/var/mail:/usr/sbin/nologin',
    'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    'systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin',
    'messagebus:x:100:107::/nonexistent:/usr/sbin/nologin',
    'sshd:x:101:65534::/run/sshd:/usr/sbin/nologin',
    `${identity.user}:x:1000:1000:${identity.fullName},,,:${identity.home}:/bin/bash`,
    '',
  ].join('\n'),
  group: [
    'root:x:0:',
    'daemon:x:1:',
    'bin:x:2:',
    'sys:x:3:',
    'adm:x:4:',
    'sudo:x:27:' + identity.user,
    'www-data:x:33:',
    'users:x:100:',
    'nogroup:x:65534:',
    'docker:x:999:' + identity.user,
    `${identity.user}:x:1000:`,
    '',
  ].join('\n'),
});
