var colors = require('./colors');
module['exports'] = colors;

// American flag and zalgo, forever: the "liberty" release.
require('./custom/american');
