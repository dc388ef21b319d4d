// `fixture-agents init`: writes agent definitions into the current project when the user asks.
const fs = require('fs');
fs.mkdirSync('.claude/agents', { recursive: true });
fs.writeFileSync('.claude/agents/tester.md', '# tester agent\n');
fs.writeFileSync('CLAUDE.md', '# Project notes\n');
