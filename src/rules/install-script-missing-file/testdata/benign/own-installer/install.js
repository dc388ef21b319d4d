// Picks the platform binary already shipped in an optional dependency; prints which.
console.log(`using ${process.platform}-${process.arch}`);
