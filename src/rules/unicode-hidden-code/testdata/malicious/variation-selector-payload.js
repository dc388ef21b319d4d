// Mimics os-info-checker-es6 / GlassWorm (catalog §4.16): a payload in invisible variation
// selectors, decoded and run with eval. Defanged: it decodes to console.log('fixture').
const s = '󠅓󠅟󠅞󠅣󠅟󠅜󠅕󠄞󠅜󠅟󠅗󠄘󠄗󠅖󠅙󠅨󠅤󠅥󠅢󠅕󠄗󠄙';
const decode = (t) => [...t].map((c) => { const p = c.codePointAt(0); return p >= 0xe0100 ? p - 0xe0100 + 16 : p - 0xfe00; });
eval(Buffer.from(decode(s)).toString());
