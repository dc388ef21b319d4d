import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../extract-file.js';

const shapesIn = (source: string) =>
  extractFileFacts('a.js', source).facts.flatMap((fact) =>
    fact.kind === 'shape' && fact.shape === 'message-handler-eval' ? [fact.detail] : [],
  );

describe('message-handler-eval shape', () => {
  it.each([
    ['ws.onmessage = function (e) { eval(e.data); };', 'ws.onmessage → eval'],
    ["socket.on('cmd', (code) => new Function(code)());", "socket.on('cmd') → Function"],
    [
      "ws.addEventListener('message', ({ data }) => { const m = JSON.parse(data); if (m.t) { eval(m.t + data); } });",
      "ws.addEventListener('message') → eval",
    ],
    [
      'ws.onmessage = function (event) { const task = JSON.parse(event.data); const code = task.code; eval(code); };',
      'ws.onmessage → eval',
    ],
    [
      "const vm = require('vm'); io.on('run', async (msg) => { vm.runInThisContext(msg.src); });",
      "io.on('run') → vm.runInThisContext",
    ],
  ])('reports %s', (source, detail) => {
    expect(shapesIn(source)).toEqual([detail]);
  });

  it.each([
    "ws.on('message', (d) => console.log(JSON.parse(d)));",
    "ws.on('message', (d) => eval('1 + 1'));",
    'ws.onmessage = (e) => { const f = () => eval(code); f(); };',
    'run((code) => eval(code));',
    'ws.onclose = (e) => eval(e.reason);',
  ])('is silent for %s', (source) => {
    expect(shapesIn(source)).toEqual([]);
  });
});
