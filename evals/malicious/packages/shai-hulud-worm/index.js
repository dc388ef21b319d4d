'use strict';

const names = { black: '000', white: 'fff', red: 'f00', lime: '0f0', blue: '00f', rebeccapurple: '663399' };

const clamp01 = (n) => Math.min(1, Math.max(0, n));
const pad2 = (c) => (c.length === 1 ? `0${c}` : String(c));

function parseHex(hex) {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  return {
    r: Number.parseInt(full.slice(0, 2), 16),
    g: Number.parseInt(full.slice(2, 4), 16),
    b: Number.parseInt(full.slice(4, 6), 16),
    a: 1,
  };
}

class TinyColor {
  constructor(input = '') {
    const text = String(input).trim().toLowerCase();
    const rgb = names[text] ? parseHex(names[text]) : /^#?[0-9a-f]{3,6}$/.test(text) ? parseHex(text) : { r: 0, g: 0, b: 0, a: 1 };
    this.r = rgb.r;
    this.g = rgb.g;
    this.b = rgb.b;
    this.a = rgb.a;
    this.isValid = Boolean(names[text]) || /^#?[0-9a-f]{3,6}$/.test(text);
  }

  getBrightness() {
    return (this.r * 299 + this.g * 587 + this.b * 114) / 1000;
  }

  isDark() {
    return this.getBrightness() < 128;
  }

  toHex() {
    return [this.r, this.g, this.b].map((c) => pad2(Math.round(c).toString(16))).join('');
  }

  toHexString() {
    return `#${this.toHex()}`;
  }

  setAlpha(alpha) {
    this.a = clamp01(alpha);
    return this;
  }

  lighten(amount = 10) {
    const k = 1 + amount / 100;
    return new TinyColor(`#${[this.r, this.g, this.b].map((c) => pad2(Math.min(255, Math.round(c * k)).toString(16))).join('')}`);
  }
}

module.exports = { TinyColor, tinycolor: (input) => new TinyColor(input) };
