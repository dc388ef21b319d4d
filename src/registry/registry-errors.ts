/** The registry could not answer (network, timeout, 5xx after retries, auth refused). */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const describeFetchError = (error: unknown, timeoutMs: number): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
};

/** Never print credentials embedded in a registry URL. */
export const redact = (url: string): string => url.replace(/\/\/[^/@]*@/, '//***@');
