'use strict';

function createFetchMock(jestFn) {
  const calls = [];
  const queue = [];
  const mock = jestFn((input, init) => {
    calls.push([input, init]);
    const next = queue.length > 0 ? queue.shift() : { body: '', status: 200 };
    return Promise.resolve({
      ok: next.status >= 200 && next.status < 300,
      status: next.status,
      headers: new Map(Object.entries(next.headers || {})),
      text: () => Promise.resolve(next.body),
      json: () => Promise.resolve(JSON.parse(next.body || 'null')),
    });
  });
  mock.mockResponse = (body, init = {}) => {
    queue.length = 0;
    queue.push({ body, status: init.status || 200, headers: init.headers });
    return mock;
  };
  mock.mockResponseOnce = (body, init = {}) => {
    queue.push({ body, status: init.status || 200, headers: init.headers });
    return mock;
  };
  mock.resetMocks = () => {
    calls.length = 0;
    queue.length = 0;
  };
  mock.enableMocks = () => {
    global.fetch = mock;
  };
  return mock;
}

module.exports = createFetchMock;
