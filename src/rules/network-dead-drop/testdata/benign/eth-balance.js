// Benign twin: a wallet dashboard reading a balance over JSON-RPC; nothing is evaluated.
module.exports = async (rpcUrl, address) => {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: address, data: '0x70a08231' }, 'latest'] }),
  });
  return BigInt((await res.json()).result);
};
