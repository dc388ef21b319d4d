import type { Decision } from '../../policy/firewall/types.js';
import type { DecisionLog, DecisionRecord, Requester } from '../types.js';

export type Recorder = {
  record: (record: DecisionRecord) => void;
  /** Decisions recorded since start, by action (the status endpoint shows them). */
  readonly counts: Record<DecisionRecord['action'], number>;
  onDecision: (listener: (decision: DecisionRecord) => void) => () => void;
};

/** Sends each decision to the log and to listeners; neither may break a request. */
export const createRecorder = (log: DecisionLog | undefined, warn: (message: string) => void): Recorder => {
  const listeners = new Set<(decision: DecisionRecord) => void>();
  const counts = { allow: 0, warn: 0, hide: 0, deny: 0 };
  return {
    counts,
    record: (record) => {
      counts[record.action]++;
      try {
        log?.record(record);
      } catch (error) {
        warn(`cannot record a decision (${(error as Error).message})`);
      }
      for (const listener of listeners) {
        try {
          listener(record);
        } catch (error) {
          warn(`a decision listener failed (${(error as Error).message})`);
        }
      }
    },
    onDecision: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

/** The stored form of a decision about one package version. */
export const toRecord = (
  decision: Decision,
  requester: Requester,
  name: string,
  version: string,
  request: DecisionRecord['request'],
  now: Date,
): DecisionRecord => {
  const record: DecisionRecord = {
    time: now.toISOString(),
    client: requester.client,
    package: name,
    version,
    request,
    action: decision.action,
    reason: decision.reason,
  };
  if (requester.clientVersion !== undefined) record.clientVersion = requester.clientVersion;
  if (requester.project !== undefined) record.project = requester.project;
  if (requester.session !== undefined) record.session = requester.session;
  if (decision.wouldBe !== undefined) record.wouldBe = decision.wouldBe;
  if (decision.rule !== undefined) record.rule = decision.rule;
  const waiverId = (decision.waiver as { id?: unknown } | undefined)?.id;
  if (typeof waiverId === 'string') record.waiver = waiverId;
  return record;
};
