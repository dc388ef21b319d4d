// A barrel that only re-exports.
export * from './env.js';
