// Locks in the false positive of fetch polyfills (unfetch/whatwg-fetch): installing fetch where
// it is missing is not replacing it.
function polyfill(url, options) {
  return new Promise((resolve) => resolve({ url, options }));
}

self.fetch || (self.fetch = polyfill);
