'use strict';
const path = require('path');
const fs = require('fs');

function readWorkspace(root = process.cwd()) {
  const nxJson = path.join(root, 'nx.json');
  const config = fs.existsSync(nxJson) ? JSON.parse(fs.readFileSync(nxJson, 'utf8')) : {};
  const projects = {};
  for (const dir of ['apps', 'libs', 'packages']) {
    const base = path.join(root, dir);
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base)) {
      const projectJson = path.join(base, name, 'project.json');
      if (fs.existsSync(projectJson)) projects[name] = JSON.parse(fs.readFileSync(projectJson, 'utf8'));
    }
  }
  return { config, projects };
}

function projectGraph(workspace) {
  const nodes = Object.keys(workspace.projects);
  const dependencies = {};
  for (const name of nodes) {
    const implicit = workspace.projects[name].implicitDependencies || [];
    dependencies[name] = implicit.filter((dep) => nodes.includes(dep)).map((target) => ({ source: name, target }));
  }
  return { nodes, dependencies };
}

async function runCommand(argv) {
  const [command, ...rest] = argv;
  const workspace = readWorkspace();
  if (command === 'show' && rest[0] === 'projects') {
    for (const name of Object.keys(workspace.projects).sort()) console.log(name);
    return 0;
  }
  if (command === 'graph') {
    console.log(JSON.stringify(projectGraph(workspace), null, 2));
    return 0;
  }
  console.error(`nx: unknown command ${command || ''}`.trim());
  return 1;
}

module.exports = { readWorkspace, projectGraph, runCommand };
