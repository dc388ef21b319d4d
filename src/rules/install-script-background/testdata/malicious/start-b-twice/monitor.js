// What the detached hook would keep running; prints only.
console.log('FIXTURE: background monitor');
