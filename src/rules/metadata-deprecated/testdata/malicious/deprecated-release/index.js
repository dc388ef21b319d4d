// The deprecated client: returns a canned answer.
module.exports = () => 'FIXTURE';
