// The current client: returns a canned answer.
module.exports = () => 'FIXTURE';
