// Payload stand-in of the coa-style hijack sample: prints only.
console.log('FIXTURE: new preinstall ran');
