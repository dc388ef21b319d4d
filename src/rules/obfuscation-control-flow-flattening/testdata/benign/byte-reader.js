// Locks in the false positive of parsers that loop forever over their input with a switch:
// the cases are characters and states, not a numbered order string.
function readTokens(text) {
  const tokens = [];
  let pos = 0;
  while (true) {
    switch (text[pos++]) {
      case '{':
        tokens.push('open');
        continue;
      case '}':
        tokens.push('close');
        continue;
      case undefined:
        return tokens;
      default:
        continue;
    }
  }
}

module.exports = { readTokens };
