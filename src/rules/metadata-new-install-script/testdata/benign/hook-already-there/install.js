// Installer of the esbuild-style benign sample: checks the platform and prints.
console.log('FIXTURE: platform', process.platform);
