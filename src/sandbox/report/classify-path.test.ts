import { describe, expect, it } from 'vitest';
import { isNoiseRead, otherPackageOf, persistenceTarget, sensitiveCategory } from './classify-path.js';

const context = { home: '/home/dana', project: '/home/dana/webapp' };
const own = '/home/dana/webapp/node_modules/left-padder';

describe('path classification', () => {
  it.each([
    ['/home/dana/.ssh/id_ed25519', 'ssh'],
    ['/home/dana/.npmrc', 'npmrc'],
    ['/home/dana/webapp/.npmrc', 'npmrc'],
    ['/home/dana/.yarnrc.yml', 'yarnrc'],
    ['/home/dana/.zsh_history', 'shell-history'],
    ['/home/dana/.aws/credentials', 'cloud-credentials'],
    ['/home/dana/.config/gcloud/application_default_credentials.json', 'cloud-credentials'],
    ['/home/dana/.kube/config', 'cloud-credentials'],
    ['/home/dana/.docker/config.json', 'cloud-credentials'],
    ['/home/dana/.git-credentials', 'git-credentials'],
    ['/home/dana/.config/gh/hosts.yml', 'git-credentials'],
    ['/home/dana/webapp/.env', 'env-file'],
    ['/home/dana/webapp/.env.production', 'env-file'],
    ['/home/dana/.config/google-chrome/Default/Login Data', 'browser-profile'],
    ['/home/dana/.mozilla/firefox/abc.default/logins.json', 'browser-profile'],
    [
      '/home/dana/.config/google-chrome/Default/Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn/000003.log',
      'wallet',
    ],
    ['/home/dana/.config/Exodus/exodus.wallet/seed.seco', 'wallet'],
    ['/home/dana/.electrum/wallets/default_wallet', 'wallet'],
    ['/home/dana/.ethereum/keystore/UTC--2024', 'wallet'],
    ['/home/dana/.config/solana/id.json', 'wallet'],
    ['/home/dana/.config/discord/Local Storage/leveldb/000005.ldb', 'messaging'],
    ['/home/dana/.local/share/TelegramDesktop/tdata/key_datas', 'messaging'],
    ['/home/dana/.password-store/github.gpg', 'password-manager'],
    ['/home/dana/Library/Keychains/login.keychain-db', 'password-manager'],
    ['/etc/shadow', 'system-secrets'],
    ['/proc/1/environ', 'process-memory'],
  ])('%s is %s', (path, category) => {
    expect(sensitiveCategory(path, context)).toBe(category);
  });

  it.each([
    '/home/dana/webapp/.env.example',
    '/home/dana/webapp/node_modules/dotenv/.env',
    '/home/dana/webapp/src/index.js',
    '/etc/passwd',
    '/home/dana/.ssh-agent-notes',
  ])('%s is not sensitive', (path) => {
    expect(sensitiveCategory(path, context)).toBeUndefined();
  });

  it.each([
    ['/home/dana/.config/systemd/user/sync.service', 'systemd-user'],
    ['/var/spool/cron/crontabs/dana', 'crontab'],
    ['/home/dana/.bashrc', 'shell-rc'],
    ['/home/dana/.profile', 'shell-rc'],
    ['/home/dana/.config/autostart/updater.desktop', 'autostart'],
    ['/home/dana/Library/LaunchAgents/com.x.plist', 'launch-agent'],
    ['/home/dana/webapp/.git/hooks/pre-commit', 'git-hooks'],
    ['/home/dana/webapp/.github/workflows/build.yml', 'ci-workflow'],
    ['/home/dana/webapp/.gitlab-ci.yml', 'ci-workflow'],
    ['/home/dana/webapp/.vscode/tasks.json', 'editor-config'],
    ['/home/dana/webapp/.claude/settings.json', 'ai-agent-config'],
    ['/home/dana/webapp/CLAUDE.md', 'ai-agent-config'],
    ['/home/dana/webapp/AGENTS.md', 'ai-agent-config'],
    ['/home/dana/webapp/.cursor/mcp.json', 'ai-agent-config'],
    ['/home/dana/webapp/.github/copilot-instructions.md', 'ai-agent-config'],
    ['/home/dana/.gemini/settings.json', 'ai-agent-config'],
    ['/home/dana/webapp/node_modules/express/index.js', 'other-package'],
    ['/home/dana/webapp/node_modules/@types/node/index.d.ts', 'other-package'],
  ])('writing %s is %s', (path, target) => {
    expect(persistenceTarget(path, context, own)).toBe(target);
  });

  it('a package writing into itself or the shared cache is no other package', () => {
    expect(persistenceTarget(`${own}/build/Release/addon.node`, context, own)).toBeUndefined();
    expect(
      otherPackageOf('/home/dana/webapp/node_modules/.cache/babel/x.json', context, own),
    ).toBeUndefined();
    expect(otherPackageOf('/home/dana/webapp/node_modules/@acme/x/a.js', context, own)).toBe(
      '/home/dana/webapp/node_modules/@acme/x',
    );
  });

  it('drops the noise every process reads', () => {
    for (const path of [
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/etc/ld.so.cache',
      '/proc/self/maps',
      '/dev/urandom',
      `${own}/index.js`,
      '/home/dana/.npm/_cacache/index-v5/aa',
    ])
      expect(isNoiseRead(path, context, own)).toBe(true);
    for (const path of ['/home/dana/.ssh/id_rsa', '/home/dana/webapp/src/app.js', '/etc/shadow'])
      expect(isNoiseRead(path, context, own)).toBe(false);
  });
});
