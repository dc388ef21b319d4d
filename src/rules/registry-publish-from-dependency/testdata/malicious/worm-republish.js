// Mimics Shai-Hulud self-propagation (catalog §4.25): learn the npm user, bump and republish.
// Defanged: every command is `echo`ed, the registry is .invalid, the token is fake.
const { execSync } = require('child_process');
const token = process.env.NPM_TOKEN || 'npm_FIXTURE_NOT_A_TOKEN';
const registry = 'https://registry.invalid';
execSync(`echo npm whoami --registry ${registry}`);
execSync('echo npm version patch');
execSync('echo npm publish --access public');
console.log(token.length);
