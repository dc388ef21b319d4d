// Benign twin: a dev-server and database config with loopback, compose-service and connection-string URLs.
module.exports = {
  api: 'http://127.0.0.1:3000/api',
  mongo: 'mongodb://mongo.internal:27017/app',
  redisUi: 'http://redis:6379',
  docs: 'http://localhost:5432/health',
};
