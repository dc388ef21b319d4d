import { InputError } from '../../core/errors.js';
import { dataDir } from '../../core/paths.js';
import type { DecisionLog, Firewall, WaiverStore } from '../types.js';
import type { FirewallSetup } from './firewall-setup.js';

export interface LocalFirewall {
  firewall: Firewall;
  decisionLog?: DecisionLog;
  /** Stops the server, then closes the decision log, the waivers and the intel database. */
  close: () => Promise<void>;
}

/**
 * Starts the firewall in this process with the decision log and waivers from the data
 * directory. A port already taken is the user's input problem (exit 2), not a crash.
 */
export const startLocalFirewall = async (
  setup: FirewallSetup,
  env: NodeJS.ProcessEnv,
): Promise<LocalFirewall> => {
  const home = dataDir(env);
  const { defaultDecisionLogPath, openDecisionLog } = await import('../decision-log.js');
  const { defaultWaiverStorePath, openWaiverStore } = await import('../waiver-store.js');
  let decisionLog: DecisionLog | undefined;
  let waivers: WaiverStore | undefined;
  const closeStores = async () => {
    decisionLog?.close();
    waivers?.close();
    await setup.store?.close();
  };
  try {
    decisionLog = openDecisionLog(defaultDecisionLogPath(env));
    waivers = openWaiverStore(defaultWaiverStorePath(env));
    const { startFirewall } = await import('../server/start-firewall.js');
    const firewall = await startFirewall({ ...setup.options, dataDir: home, decisionLog, waivers });
    return {
      firewall,
      decisionLog,
      close: async () => {
        await firewall.close();
        await closeStores();
      },
    };
  } catch (error) {
    await closeStores().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${setup.options.host}:${setup.options.port}`;
    if (code === 'EADDRINUSE') throw new InputError('--port', `${where} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES')
      throw new InputError('--host', `cannot listen on ${where} (${code})`);
    throw error;
  }
};
