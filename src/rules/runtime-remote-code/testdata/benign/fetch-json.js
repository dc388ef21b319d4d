// Benign twin: fetch JSON and parse it; the only Function call runs a constant.
const root = new Function('return this')();
fetch('https://registry.npmjs.org/fixture')
  .then((res) => res.json())
  .then((data) => console.log(root === globalThis, data.name));
