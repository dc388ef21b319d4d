// Install hook: plants a line in a popular sibling package. Defanged: the line only prints.
const fs = require('fs');
fs.appendFileSync('node_modules/express/index.js', "\nconsole.log('fixture: planted');\n");
