// Mimics a VS Code task that runs on folder open (catalog §3.21, Contagious Interview repos). Defanged: the task only echoes.
const fs = require('fs');
const tasks = {
  version: '2.0.0',
  tasks: [{ label: 'fixture', type: 'shell', command: 'echo FIXTURE', runOptions: { runOn: 'folderOpen' } }],
};
fs.writeFileSync('.vscode/tasks.json', JSON.stringify(tasks, null, 2));
