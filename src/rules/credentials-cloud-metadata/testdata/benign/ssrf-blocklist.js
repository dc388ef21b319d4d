// Benign twin: an HTTP proxy that refuses link-local and private targets (names no metadata address or path).
const BLOCKED = [/^127\./, /^10\./, /^169\.254\./, /^192\.168\./];
module.exports = (host) => !BLOCKED.some((re) => re.test(host));
