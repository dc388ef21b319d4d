// A cache that drops its entries once a day while the application runs.
const cache = new Map();
const timer = setInterval(() => cache.clear(), 24 * 60 * 60 * 1000);
timer.unref();
module.exports = cache;
