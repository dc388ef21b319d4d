'use strict';

class Opt {
  constructor(cmd) {
    this._cmd = cmd;
    this._short = null;
    this._long = null;
    this._flag = false;
    this._arr = false;
    this._req = false;
    this._val = (v) => v;
  }
  name(name) { this._name = name; return this; }
  title(title) { this._title = title; return this; }
  short(s) { this._short = s; this._cmd._optsByKey[`-${s}`] = this; return this; }
  long(l) { this._long = l; this._cmd._optsByKey[`--${l}`] = this; return this; }
  flag() { this._flag = true; return this; }
  arr() { this._arr = true; return this; }
  req() { this._req = true; return this; }
  val(fn) { this._val = fn; return this; }
  end() { return this._cmd; }
}

class Cmd {
  constructor(parent) {
    this._parent = parent;
    this._opts = [];
    this._optsByKey = {};
    this._cmds = [];
    this._act = [];
  }
  name(name) { this._name = name; return this; }
  title(title) { this._title = title; return this; }
  opt() { const opt = new Opt(this); this._opts.push(opt); return opt; }
  cmd() { const cmd = new Cmd(this); this._cmds.push(cmd); return cmd; }
  act(fn) { this._act.push(fn); return this; }
  end() { return this._parent; }
  parse(argv) {
    const opts = {};
    const args = [];
    for (let i = 0; i < argv.length; i++) {
      const opt = this._optsByKey[argv[i]];
      if (!opt) { args.push(argv[i]); continue; }
      const value = opt._flag ? true : opt._val(argv[++i]);
      if (opt._arr) (opts[opt._name] = opts[opt._name] || []).push(value);
      else opts[opt._name] = value;
    }
    for (const opt of this._opts) if (opt._req && !(opt._name in opts)) throw new Error(`Missing required option: ${opt._name}`);
    return { opts, args };
  }
  async run(argv = process.argv.slice(2)) {
    const { opts, args } = this.parse(argv);
    let result;
    for (const fn of this._act) result = await fn.call(this, opts, args, result);
    return result;
  }
}

module.exports = { Cmd: () => new Cmd(), Opt };
