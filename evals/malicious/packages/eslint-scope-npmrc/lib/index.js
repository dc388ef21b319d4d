'use strict';

const ScopeManager = require('./scope-manager');

function defaultOptions() {
  return {
    optimistic: false,
    directive: false,
    nodejsScope: false,
    impliedStrict: false,
    sourceType: 'script',
    ecmaVersion: 5,
    childVisitorKeys: null,
    fallback: 'iteration',
  };
}

function updateDeeply(target, override) {
  function isHashObject(value) {
    return typeof value === 'object' && value instanceof Object && !(value instanceof Array) && !(value instanceof RegExp);
  }
  for (const key in override) {
    if (Object.prototype.hasOwnProperty.call(override, key)) {
      const val = override[key];
      if (isHashObject(val)) {
        if (isHashObject(target[key])) updateDeeply(target[key], val);
        else target[key] = updateDeeply({}, val);
      } else {
        target[key] = val;
      }
    }
  }
  return target;
}

function analyze(tree, providedOptions) {
  const options = updateDeeply(defaultOptions(), providedOptions);
  const scopeManager = new ScopeManager(options);
  scopeManager.attach(tree);
  return scopeManager;
}

module.exports = { version: '3.7.2', analyze, ScopeManager };
