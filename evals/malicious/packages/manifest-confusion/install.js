// Stands for whatever the hidden install script would do; this one only prints.
console.log('fixture: an install script the registry manifest does not mention');
