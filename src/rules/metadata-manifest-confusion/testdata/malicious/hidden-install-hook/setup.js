// Second half of the manifest-confusion sample: what the hidden hook runs. Prints only.
console.log('FIXTURE: install hook the registry manifest did not show');
