import { describeFetchError, RegistryError, redact } from './registry-errors.js';

export type RetryPolicy = {
  fetch: typeof fetch;
  /** Further attempts after the first. */
  retries: number;
  backoffMs: number;
  /** Per attempt, body included. */
  timeoutMs: number;
};

/** What a response handler returns to have the request tried again (a body cut off mid-way). */
export type Retry = { retry: string };

export const isRetry = (value: unknown): value is Retry =>
  typeof value === 'object' && value !== null && 'retry' in value;

/**
 * Sends `url` until `handle` accepts a response. Network errors, timeouts, 429 and 5xx are
 * retried with exponential backoff; `handle` may ask for another attempt with `{ retry }` and
 * throws for answers that retrying cannot change. After the last attempt: RegistryError.
 */
export const fetchWithRetries = async <T>(
  policy: RetryPolicy,
  url: string,
  init: RequestInit,
  handle: (response: Response) => Promise<T | Retry>,
): Promise<T> => {
  let lastProblem = '';
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) await sleep(policy.backoffMs * 2 ** (attempt - 1));
    let response: Response;
    try {
      response = await policy.fetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
    } catch (error) {
      lastProblem = describeFetchError(error, policy.timeoutMs);
      continue;
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      lastProblem = `HTTP ${response.status}`;
      continue;
    }
    const outcome = await handle(response);
    if (!isRetry(outcome)) return outcome;
    lastProblem = outcome.retry;
  }
  throw new RegistryError(
    `${redact(url)}: registry unreachable after ${policy.retries + 1} attempts (${lastProblem})`,
  );
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
