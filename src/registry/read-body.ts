import { RegistryError } from './registry-errors.js';

/** A response body, refused as soon as it (or its declared length) passes `maxBytes`. */
export const readBodyLimited = async (
  response: Response,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new RegistryError(`${what} is ${declared} bytes, over the ${maxBytes} byte limit`);
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new RegistryError(`${what} exceeds the ${maxBytes} byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
};
