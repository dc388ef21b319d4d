// The probe a dependency-confusion package runs at install; here it prints only.
console.log('FIXTURE: dependency-confusion probe would report the host name here');
