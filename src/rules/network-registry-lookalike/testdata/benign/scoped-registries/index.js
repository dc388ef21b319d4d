// Registry helpers: the real npm, GitHub, Yarn and mirror hosts, and file names that look like hosts.
const REGISTRIES = {
  npm: 'https://registry.npmjs.org/',
  github: 'https://npm.pkg.github.com/',
  yarn: 'https://registry.yarnpkg.com/',
  china: 'https://registry.npmmirror.com/',
};
const docs = 'See https://docs.npmjs.com/cli/v10/configuring-npm/npmrc and github.com/fixture-owner/scoped-registries';
const files = ['github.json', 'npmjs.md'];
module.exports = { REGISTRIES, docs, files };
