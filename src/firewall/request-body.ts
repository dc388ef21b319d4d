import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body up to `limit` bytes; past it (or when Content-Length already says so)
 * rejects with `tooLarge()`. Listeners rather than `for await`, whose early exit would destroy
 * the socket before the 413 is sent; past the limit the rest is drained unread.
 */
export const readBoundedBody = (
  req: IncomingMessage,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
