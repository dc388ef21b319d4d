// Locks in the false positive of error-monitoring SDKs (Sentry/Datadog-style browser agents):
// they wrap fetch and XMLHttpRequest to time requests, with no wallet patterns in sight.
const breadcrumbs = [];

if (typeof window !== 'undefined') {
  const originalFetch = window.fetch;
  window.fetch = async function instrumentedFetch(input, init) {
    const started = Date.now();
    try {
      return await originalFetch.call(window, input, init);
    } finally {
      breadcrumbs.push({ type: 'fetch', url: String(input), ms: Date.now() - started });
    }
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    breadcrumbs.push({ type: 'xhr', method, url: String(url) });
    return open.call(this, method, url, ...rest);
  };
}

module.exports = { breadcrumbs };
