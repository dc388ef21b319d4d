// Mimics an install-time payload entry point; defanged: it only prints.
console.log('fixture: postinstall ran');
