// Worker thread: analyses the cached releases of one package in order with the built code
// (dist/) and returns the features of each consecutive pair. One package per message; the parent
// terminates the worker when a package runs past its time limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const dist = workerData.dist;
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { readTarball } = await load('tarball/index.js');
const { analyzeSide } = await load('diff/analyze-side.js');
const { computeDelta } = await load('diff/delta.js');
const { metadataTransitions } = await load('diff/metadata/transitions.js');
const { gradeTransitions } = await load('diff/metadata/grading.js');
const { releaseFeatures } = await load('diff/anomaly/features.js');

const side = async (path, name, version, packument) => {
  const contents = await readTarball(new Uint8Array(readFileSync(path)), { source: `${name}@${version}` });
  return analyzeSide(contents.files, { name, version }, { packument, archive: contents.problems });
};

parentPort.on('message', async ({ name, versions, cacheDir }) => {
  const rows = [];
  const errors = [];
  try {
    const file = name.replace('/', '+');
    const packument = JSON.parse(readFileSync(join(cacheDir, 'packuments', `${file}.json`), 'utf8'));
    let previous;
    for (const version of versions) {
      let current;
      try {
        current = {
          version,
          side: await side(join(cacheDir, 'tarballs', `${file}@${version}.tgz`), name, version, packument),
        };
      } catch (error) {
        errors.push(`${name}@${version}: ${error.message}`);
        continue;
      }
      if (previous !== undefined) {
        const delta = computeDelta(previous.side, current.side);
        const metadata = gradeTransitions(metadataTransitions(packument, previous.version, version));
        const features = releaseFeatures({
          from: previous.side,
          to: current.side,
          delta,
          metadata,
          packument,
        });
        rows.push({
          name,
          from: previous.version,
          to: version,
          peer: features.peer.key,
          values: features.values,
          details: features.details,
          verdicts: [previous.side.assessment.verdict, current.side.assessment.verdict],
        });
      }
      previous = current;
    }
  } catch (error) {
    errors.push(`${name}: ${error.message}`);
  }
  parentPort.postMessage({ name, rows, errors });
});

parentPort.postMessage({ ready: true });
