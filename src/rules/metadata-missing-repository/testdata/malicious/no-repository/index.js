// A package with nowhere to compare its code against; prints only.
console.log('FIXTURE');
