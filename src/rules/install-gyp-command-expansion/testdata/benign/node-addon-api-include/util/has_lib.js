// Prints whether a system library is present (true/false), as node-canvas does.
console.log(String(require('fs').existsSync(`/usr/lib/lib${process.argv[2]}.so`)));
