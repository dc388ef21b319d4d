// Colours a message; nothing else.
const pc = require('picocolors');
module.exports = (text) => pc.green(text);
