import { processAlive, type RunningState, readState } from './state-file.js';

/** The path a running bulwark firewall answers with its identity (never proxied upstream). */
export const STATUS_PATH = '/-/bulwark/status';

/** Asks a URL whether a live bulwark firewall answers there, and whether it is the process we expect. */
export type Probe = (url: string, pid: number) => Promise<boolean>;

export const probeStatus: Probe = async (url, pid) => {
  try {
    const response = await fetch(`${url}${STATUS_PATH}`, {
      signal: AbortSignal.timeout(2000),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    return isBulwarkStatus(body, pid);
  } catch {
    return false;
  }
};

/** A status body naming bulwark's firewall; when it gives a pid, it must be the state file's. */
export const isBulwarkStatus = (body: unknown, pid: number): boolean => {
  if (!body || typeof body !== 'object') return false;
  const status = body as Record<string, unknown>;
  const named = status.name === 'bulwark' || status.service === 'bulwark-firewall' || status.bulwark === true;
  if (!named) return false;
  return status.pid === undefined || status.pid === pid;
};

/**
 * The firewall `bulwark firewall` is running, if any: its state file names a live process and
 * that process answers the status endpoint. A stale file (crash, reboot) is ignored, not trusted.
 */
export const findRunningFirewall = async (
  stateFile: string,
  probe: Probe = probeStatus,
): Promise<RunningState | undefined> => {
  const state = readState(stateFile);
  if (!state || !processAlive(state.pid)) return undefined;
  return (await probe(state.url, state.pid)) ? state : undefined;
};
