// The unchanged client code of the axios-style sample: it imports its old dependencies only.
const redirects = require('follow-redirects');
const FormData = require('form-data');

module.exports = { redirects, FormData };
