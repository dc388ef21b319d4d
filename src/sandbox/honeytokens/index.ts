export { findHoneytokenEgress } from './find-egress.js';
export { type Identity, pickIdentity } from './identity.js';
export {
  type HostMapper,
  hostMapper,
  type PlanOptions,
  planHoneytokens,
  planTelltale,
  type WriteOptions,
  writePlan,
} from './plant.js';
export { cryptoRandom, type Random, seededRandom } from './random.js';
export { findTelltale, TELLTALES } from './telltale.js';
