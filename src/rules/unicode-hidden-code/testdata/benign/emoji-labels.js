// Benign twin: emoji with their usual variation selector (U+FE0F) and a zero-width joiner.
module.exports = { ok: '✔️', warn: '⚠️', family: '👨‍👩‍👧' };
