// Checks the Node version.
if (Number(process.versions.node.split('.')[0]) < 18) process.exitCode = 1;
