// Install hook of the delayed-postinstall fixture: runs the payload after twelve hours. Defanged: only prints.
setInterval(() => {
  console.log('fixture: delayed stage would run here');
}, 12 * 60 * 60 * 1000);
