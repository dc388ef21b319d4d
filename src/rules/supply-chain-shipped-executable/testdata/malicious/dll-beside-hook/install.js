// Install hook of the DLL fixture. Defanged: only prints.
console.log('fixture: would load node-gyp.dll');
