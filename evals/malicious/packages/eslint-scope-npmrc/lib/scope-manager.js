'use strict';

class ScopeManager {
  constructor(options) {
    this.scopes = [];
    this.globalScope = null;
    this.__nodeToScope = new WeakMap();
    this.__currentScope = null;
    this.__options = options;
  }

  __useDirective() {
    return this.__options.directive;
  }

  isGlobalReturn() {
    return this.__options.nodejsScope || this.__options.sourceType === 'commonjs';
  }

  isModule() {
    return this.__options.sourceType === 'module';
  }

  isES6() {
    return this.__options.ecmaVersion >= 6;
  }

  attach(tree) {
    this.tree = tree;
  }

  __get(node) {
    return this.__nodeToScope.get(node);
  }

  acquire(node, inner) {
    const scopes = this.__get(node);
    if (!scopes || scopes.length === 0) return null;
    return inner ? scopes[scopes.length - 1] : scopes[0];
  }
}

module.exports = ScopeManager;
