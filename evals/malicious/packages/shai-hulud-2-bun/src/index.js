'use strict';

const createAppTester = (appDefinition) => async (method, bundle = {}) => {
  const [kind, key, op] = method.split('.');
  const target = appDefinition[kind] && appDefinition[kind][key];
  if (!target || !target.operation || typeof target.operation[op] !== 'function') {
    throw new Error(`No such method: ${method}`);
  }
  const z = {
    console,
    JSON,
    request: async (options) => {
      const response = await fetch(options.url, { method: options.method || 'GET', headers: options.headers, body: options.body });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    errors: { Error },
  };
  return target.operation[op](z, { inputData: {}, authData: {}, ...bundle });
};

const defineApp = (app) => ({ platformVersion: '18.0.2', ...app });

module.exports = { createAppTester, defineApp, version: '18.0.2' };
