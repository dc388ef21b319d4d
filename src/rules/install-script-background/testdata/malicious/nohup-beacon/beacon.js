// What nohup keeps alive; prints only.
console.log('FIXTURE: beacon');
