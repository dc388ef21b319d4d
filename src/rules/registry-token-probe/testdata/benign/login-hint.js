// Locks in the false positive of CLIs that tell the user how to log in: the command is printed,
// never run, and the file starts no process.
function loginHint(registry) {
  return `Not logged in to ${registry}. Run "npm whoami" to check, then "npm login".`;
}

module.exports = { loginHint };
