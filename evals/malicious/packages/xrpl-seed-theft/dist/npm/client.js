"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Client = void 0;
const errors_1 = require("./errors");
class Client {
    constructor(server, options = {}) {
        if (typeof server !== 'string' || !/wss?(?:\+unix)?:\/\//u.exec(server)) {
            throw new errors_1.ValidationError('server URI must start with `wss://`, `ws://`, `wss+unix://`, or `ws+unix://`.');
        }
        this.url = server;
        this.feeCushion = options.feeCushion ?? 1.2;
        this.maxFeeXRP = options.maxFeeXRP ?? '2';
        this.connection = null;
    }
    isConnected() {
        return this.connection !== null;
    }
    async request(req) {
        if (!this.isConnected()) {
            throw new errors_1.NotConnectedError('Client must be connected before sending requests');
        }
        return this.connection.request(req);
    }
    async disconnect() {
        this.connection = null;
    }
}
exports.Client = Client;
//# sourceMappingURL=client.js.map
