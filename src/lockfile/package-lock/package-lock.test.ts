import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageLockParser } from './package-lock.js';
import { edgeLines, flagsOf, nodeTable, parseFixture, parseText, TESTDATA } from './test-helpers.js';

const R = 'https://registry.npmjs.org';

describe('packageLockParser', () => {
  it('matches package-lock.json and npm-shrinkwrap.json only', () => {
    expect(packageLockParser.name).toBe('lockfile/package-lock');
    expect(packageLockParser.matches('/a/b/package-lock.json')).toBe(true);
    expect(packageLockParser.matches('npm-shrinkwrap.json')).toBe(true);
    expect(packageLockParser.matches('/a/package-lock.json.bak')).toBe(false);
    expect(packageLockParser.matches('/a/yarn.lock')).toBe(false);
    expect(packageLockParser.matches('/a/my-package-lock.json')).toBe(false);
  });

  it('sets the format from the file name', () => {
    const text = readFileSync(join(TESTDATA, 'bundled.v3.json'), 'utf8');
    expect(parseText(text, {}, '/p/npm-shrinkwrap.json').format).toBe('npm-shrinkwrap');
    const graph = parseText(text, {}, '/p/package-lock.json');
    expect(graph.format).toBe('package-lock');
    expect(graph.formatVersion).toBe(3);
    expect(graph.file).toBe('/p/package-lock.json');
  });
});

describe('one-package.v1', () => {
  it('takes direct dependencies from package.json', () => {
    const graph = parseFixture('one-package.v1.json');
    expect(graph.roots).toEqual(['.']);
    expect(graph.formatVersion).toBe(1);
    expect(nodeTable(graph)).toEqual({
      '.': {
        name: 'one-package',
        version: '1.0.0',
        source: 'root',
        dev: false,
        optional: false,
        peer: false,
        bundled: false,
      },
      'left-pad@1.3.0': {
        name: 'left-pad',
        version: '1.3.0',
        resolved: `${R}/left-pad/-/left-pad-1.3.0.tgz`,
        source: 'registry',
        dev: false,
        optional: false,
        peer: false,
        bundled: false,
      },
    });
    expect(graph.nodes.get('left-pad@1.3.0')?.line).toBe(7);
    expect(edgeLines(graph)).toEqual(['. -prod-> left-pad@1.3.0 (left-pad@^1.3.0)']);
    expect(graph.warnings).toEqual([]);
  });

  it('infers direct dependencies, with a warning, when package.json is missing', () => {
    const graph = parseFixture('one-package.v1.json', { packageJson: false });
    expect(edgeLines(graph)).toEqual(['. -prod-> left-pad@1.3.0 (left-pad@1.3.0)']);
    expect(graph.warnings).toEqual([expect.stringContaining('no package.json beside the lockfile')]);
  });
});

describe('nested-dependencies-dup', () => {
  const expectedEdges = [
    '. -dev-> d@1.0.0 (d@^1.0.0)',
    '. -prod-> a@1.0.0 (a@^1.0.0)',
    '. -prod-> c@1.0.0 (c@^1.0.0)',
    'a@1.0.0 -prod-> b@1.0.0 (b@^1.0.0)',
    'c@1.0.0 -prod-> b@2.0.0 (b@^2.0.0)',
    'd@1.0.0 -prod-> b@2.0.0 (b@^2.0.0)',
    'd@1.0.0 -prod-> e@1.0.0 (e@^1.0.0)',
  ];
  const expectedFlags = {
    'a@1.0.0': 'none',
    'b@1.0.0': 'none',
    // Installed under c (prod) and under d (dev): one node, not dev.
    'b@2.0.0': 'none',
    'c@1.0.0': 'none',
    'd@1.0.0': 'dev',
    'e@1.0.0': 'dev',
  };

  for (const version of ['v1', 'v3']) {
    it(`${version}: resolves nested copies first and merges one name@version into one node`, () => {
      const graph = parseFixture(`nested-dependencies-dup.${version}.json`);
      expect([...graph.nodes.keys()].sort()).toEqual(['.', ...Object.keys(expectedFlags)]);
      expect(Object.fromEntries(Object.keys(expectedFlags).map((id) => [id, flagsOf(graph, id)]))).toEqual(
        expectedFlags,
      );
      expect(edgeLines(graph)).toEqual(expectedEdges);
      expect(graph.warnings).toEqual([]);
    });
  }

  it('gives each node the line of its first entry', () => {
    const v3 = parseFixture('nested-dependencies-dup.v3.json');
    expect(v3.nodes.get('a@1.0.0')?.line).toBe(18);
    expect(v3.nodes.get('b@2.0.0')?.line).toBe(39);
    const v1 = parseFixture('nested-dependencies-dup.v1.json');
    expect(v1.nodes.get('a@1.0.0')?.line).toBe(7);
    expect(v1.nodes.get('b@2.0.0')?.line).toBe(28);
    expect(v1.nodes.get('e@1.0.0')?.line).toBe(51);
  });
});

describe('aliases', () => {
  for (const version of ['v1', 'v3']) {
    it(`${version}: names nodes by the real package and lists the install names`, () => {
      const graph = parseFixture(`aliases.${version}.json`);
      const view = [...graph.nodes.values()]
        .map((n) => `${n.id} name=${n.name} aliases=${(n.aliases ?? []).join(',')}`)
        .sort();
      expect(view).toEqual([
        '. name=aliases aliases=',
        '@real/pkg@2.0.1 name=@real/pkg aliases=@scoped/alias',
        'lodash@3.10.1 name=lodash aliases=old-lodash',
        'lodash@4.17.21 name=lodash aliases=my-lodash',
      ]);
      expect(edgeLines(graph)).toEqual([
        '. -prod-> @real/pkg@2.0.1 (@scoped/alias@npm:@real/pkg@^2.0.0)',
        '. -prod-> lodash@3.10.1 (old-lodash@npm:lodash@3.10.1)',
        '. -prod-> lodash@4.17.21 (lodash@^4.17.20)',
        '. -prod-> lodash@4.17.21 (my-lodash@npm:lodash@^4.17.21)',
      ]);
    });
  }
});

describe('workspaces.v3', () => {
  const graph = parseFixture('workspaces.v3.json');

  it('makes the root and every workspace member a root', () => {
    expect(graph.roots).toEqual(['.', 'packages/a', 'packages/b']);
    const a = graph.nodes.get('packages/a');
    expect(a).toMatchObject({
      name: '@mono/a',
      version: '1.0.0',
      source: 'workspace',
      workspace: 'packages/a',
    });
    expect(graph.nodes.get('packages/b')).toMatchObject({ name: '@mono/b', source: 'workspace' });
    expect(graph.nodes.get('.')).toMatchObject({ name: 'mono', version: '', source: 'root' });
  });

  it('gives a link to a folder outside the workspaces the link source', () => {
    expect(graph.nodes.get('../local-lib')).toMatchObject({
      name: 'local-lib',
      version: '0.1.0',
      source: 'link',
    });
    expect(graph.nodes.get('../local-lib')?.workspace).toBeUndefined();
  });

  it('resolves from the member folder, then the root; link targets from their own folder', () => {
    expect(edgeLines(graph)).toEqual([
      '. -dev-> typescript@5.4.5 (typescript@^5.0.0)',
      '../local-lib -prod-> left-pad@1.3.0 (left-pad@^1.3.0)',
      'packages/a -prod-> ../local-lib (local-lib@file:../../../local-lib)',
      'packages/a -prod-> left-pad@1.3.0 (left-pad@^1.3.0)',
      'packages/a -prod-> packages/b (@mono/b@^1.0.0)',
      'packages/b -dev-> typescript@5.4.5 (typescript@^5.0.0)',
      'packages/b -prod-> left-pad@1.1.0 (left-pad@^1.1.0)',
    ]);
    expect(flagsOf(graph, 'typescript@5.4.5')).toBe('dev');
    expect(flagsOf(graph, 'left-pad@1.3.0')).toBe('none');
    expect(graph.warnings).toEqual([]);
  });

  it('reads workspace globs from package.json when the root entry has none', () => {
    const doc = JSON.parse(readFileSync(join(TESTDATA, 'workspaces.v3.json'), 'utf8'));
    delete doc.packages[''];
    const siblings = { 'package.json': readFileSync(join(TESTDATA, 'workspaces.package.json'), 'utf8') };
    const fromManifest = parseText(JSON.stringify(doc, null, 2), siblings);
    expect(fromManifest.roots).toEqual(['.', 'packages/a', 'packages/b']);
    expect(edgeLines(fromManifest)).toContain('. -dev-> typescript@5.4.5 (typescript@^5.0.0)');
  });

  it('warns about a link whose target the lockfile does not list, and keeps the member', () => {
    const doc = JSON.parse(readFileSync(join(TESTDATA, 'workspaces.v3.json'), 'utf8'));
    delete doc.packages['packages/b'];
    const broken = parseText(JSON.stringify(doc));
    expect(broken.roots).toEqual(['.', 'packages/a', 'packages/b']);
    expect(broken.nodes.get('packages/b')).toMatchObject({ name: '@mono/b', source: 'workspace' });
    expect(broken.warnings).toContain(
      'packages["node_modules/@mono/b"] links to "packages/b", which the lockfile does not list',
    );
  });
});

describe('bundled.v3', () => {
  it('marks packages shipped only inside a parent tarball as bundled', () => {
    const graph = parseFixture('bundled.v3.json');
    expect(flagsOf(graph, 'child@2.0.0')).toBe('bundled');
    expect(graph.nodes.get('child@2.0.0')?.resolved).toBeUndefined();
    // Also installed from the registry at the top level, so not bundled-only.
    expect(flagsOf(graph, 'shared@1.0.0')).toBe('none');
    expect(graph.nodes.get('shared@1.0.0')?.resolved).toBe(`${R}/shared/-/shared-1.0.0.tgz`);
    expect(edgeLines(graph)).toEqual([
      '. -prod-> parent@1.0.0 (parent@^1.0.0)',
      '. -prod-> shared@1.0.0 (shared@^1.0.0)',
      'child@2.0.0 -prod-> shared@1.0.0 (shared@^1.0.0)',
      'parent@1.0.0 -prod-> child@2.0.0 (child@^2.0.0)',
      'parent@1.0.0 -prod-> shared@1.0.0 (shared@^1.0.0)',
    ]);
  });
});

describe('file-link-git', () => {
  const gitUrl = 'git+ssh://git@github.com/example/from-git.git#0123456789abcdef0123456789abcdef01234567';
  const mirrorUrl = 'https://npm.mirror.example.invalid/mirrored/-/mirrored-1.0.0.tgz';

  it('v3: classifies each source and keys non-registry nodes by where they come from', () => {
    const graph = parseFixture('file-link-git.v3.json');
    const view = [...graph.nodes.values()].map((n) => `${n.source} ${n.id} ${n.version}`).sort();
    expect(view).toEqual(
      [
        'link ../local-lib 0.1.0',
        'registry left-pad@1.3.0 1.3.0',
        'root . 1.0.0',
        'tarball from-file@file:vendor/from-file-1.0.0.tgz 1.0.0',
        'tarball from-url@https://tarballs.example.invalid/from-url-1.0.0.tgz 1.0.0',
        `git from-git@${gitUrl} 1.0.0`,
        `tarball mirrored@${mirrorUrl} 1.0.0`,
      ].sort(),
    );
    expect(graph.warnings).toEqual([
      '1 package resolved from npm.mirror.example.invalid, which is not a known registry, was treated as a tarball; ' +
        "if it is your registry, set registry=https://npm.mirror.example.invalid/ in the project's .npmrc",
    ]);
  });

  it('v1: reads sources from the version spec; their package version is unknown', () => {
    const graph = parseFixture('file-link-git.v1.json');
    const view = [...graph.nodes.values()].map((n) => `${n.source} ${n.id} ${n.version}`).sort();
    expect(view).toEqual(
      [
        'directory local-lib@file:../local-lib ',
        'registry left-pad@1.3.0 1.3.0',
        'root . 1.0.0',
        'tarball from-file@file:vendor/from-file-1.0.0.tgz ',
        'tarball from-url@https://tarballs.example.invalid/from-url-1.0.0.tgz ',
        `git from-git@${gitUrl} `,
        `tarball mirrored@${mirrorUrl} 1.0.0`,
      ].sort(),
    );
  });

  it('trusts a registry host the project .npmrc names', () => {
    for (const version of ['v1', 'v3']) {
      const graph = parseFixture(`file-link-git.${version}.json`, {
        npmrc:
          '; mirror\nregistry = https://npm.mirror.example.invalid/\n@corp:registry=https://corp.example.invalid/\n',
      });
      expect(graph.nodes.get('mirrored@1.0.0')).toMatchObject({ source: 'registry', resolved: mirrorUrl });
      expect(graph.warnings).toEqual([]);
    }
  });
});

describe('dev-optional-peer.v2', () => {
  const graph = parseFixture('dev-optional-peer.v2.json');

  it('reads flags from the packages section', () => {
    const ids = [
      'both@1.0.0',
      'fsevents-like@2.0.0',
      'loose-envify@1.4.0',
      'native-watch@1.0.0',
      'react-dom@18.2.0',
      'react-widget@1.0.0',
      'react@18.2.0',
      'shared-tool@1.0.0',
      'test-runner@1.0.0',
    ];
    expect(Object.fromEntries(ids.map((id) => [id, flagsOf(graph, id)]))).toEqual({
      'both@1.0.0': 'dev',
      'fsevents-like@2.0.0': 'optional',
      'loose-envify@1.4.0': 'none',
      'native-watch@1.0.0': 'dev,optional',
      // devOptional too: a dev tool requires it, react-widget's optional peer reaches it from prod.
      'react-dom@18.2.0': 'none',
      'react-widget@1.0.0': 'none',
      'react@18.2.0': 'peer',
      // devOptional: required by a dev tool and optional for prod, so neither flag.
      'shared-tool@1.0.0': 'none',
      'test-runner@1.0.0': 'dev',
    });
  });

  it('types edges by the declaring field; a name in dependencies and devDependencies is dev, as in npm', () => {
    expect(edgeLines(graph)).toEqual([
      '. -dev-> both@1.0.0 (both@^1.0.0)',
      '. -dev-> test-runner@1.0.0 (test-runner@^1.0.0)',
      '. -optional-> fsevents-like@2.0.0 (fsevents-like@^2.0.0)',
      '. -prod-> react-widget@1.0.0 (react-widget@^1.0.0)',
      'fsevents-like@2.0.0 -prod-> shared-tool@1.0.0 (shared-tool@^1.0.0)',
      'react-dom@18.2.0 -peer-> react@18.2.0 (react@^18.2.0)',
      'react-dom@18.2.0 -prod-> loose-envify@1.4.0 (loose-envify@^1.1.0)',
      'react-widget@1.0.0 -peer-> react@18.2.0 (react@^18.0.0)',
      'react-widget@1.0.0 -peerOptional-> react-dom@18.2.0 (react-dom@^18.0.0)',
      'react-widget@1.0.0 -prod-> loose-envify@1.4.0 (loose-envify@^1.0.0)',
      'react@18.2.0 -prod-> loose-envify@1.4.0 (loose-envify@^1.1.0)',
      'test-runner@1.0.0 -optional-> native-watch@1.0.0 (native-watch@^1.0.0)',
      'test-runner@1.0.0 -prod-> react-dom@18.2.0 (react-dom@^18.2.0)',
      'test-runner@1.0.0 -prod-> shared-tool@1.0.0 (shared-tool@^1.0.0)',
    ]);
  });

  it('skips missing optional and peer dependencies, and warns about a missing required one', () => {
    expect(graph.warnings).toEqual([
      'the root package depends on missing-required@^1.0.0, which is not in the lockfile',
    ]);
  });

  it('ignores the v1 tree of a v2 file', () => {
    const doc = JSON.parse(readFileSync(join(TESTDATA, 'dev-optional-peer.v2.json'), 'utf8'));
    doc.dependencies['only-in-v1-tree'] = { version: '9.9.9' };
    doc.dependencies.both.version = '7.7.7';
    const graph2 = parseText(JSON.stringify(doc));
    expect(graph2.nodes.has('only-in-v1-tree@9.9.9')).toBe(false);
    expect(graph2.nodes.has('both@1.0.0')).toBe(true);
    expect(graph2.nodes.size).toBe(graph.nodes.size);
  });

  it('reads the v1 tree when a v2 file has no packages section', () => {
    const doc = JSON.parse(readFileSync(join(TESTDATA, 'dev-optional-peer.v2.json'), 'utf8'));
    delete doc.packages;
    const siblings = {
      'package.json': readFileSync(join(TESTDATA, 'dev-optional-peer.package.json'), 'utf8'),
    };
    const graph2 = parseText(JSON.stringify(doc, null, 2), siblings);
    expect([...graph2.nodes.keys()].sort()).toEqual([...graph.nodes.keys()].sort());
    expect(graph2.warnings[0]).toContain('lockfileVersion 2 without "packages"');
    // v1 `requires` do not say optional; the target's optional flag does.
    expect(edgeLines(graph2)).toContain(
      'test-runner@1.0.0 -optional-> native-watch@1.0.0 (native-watch@^1.0.0)',
    );
  });
});
