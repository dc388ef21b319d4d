// Mimics the eval(atob(...)) / new Function(Buffer.from(x, 'base64')) stage loaders (catalog §4.15).
// Defanged: the payload decodes to console.log('fixture').
eval(atob('Y29uc29sZS5sb2coJ2ZpeHR1cmUnKQ=='));
new Function(Buffer.from('Y29uc29sZS5sb2coJ2ZpeHR1cmUnKQ==', 'base64').toString())();
