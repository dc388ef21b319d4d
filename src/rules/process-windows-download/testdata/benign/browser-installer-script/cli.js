#!/usr/bin/env node
// Tells the user which installer script to run; runs nothing itself.
console.log(`Run bin/reinstall_browser_win.ps1 to reinstall the browser (${process.platform}).`);
