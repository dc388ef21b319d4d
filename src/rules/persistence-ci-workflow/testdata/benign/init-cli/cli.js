// `fixture-init ci`: writes a push-triggered test workflow into the current project.
const fs = require('fs');
const workflow = 'name: tests\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n';
fs.mkdirSync('.github/workflows', { recursive: true });
fs.writeFileSync('.github/workflows/tests.yml', workflow);
