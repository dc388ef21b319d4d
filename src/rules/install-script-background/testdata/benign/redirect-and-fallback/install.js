// Writes nothing; reports that the optional step ran.
console.log('optional step complete');
