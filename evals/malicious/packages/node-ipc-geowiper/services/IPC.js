'use strict';
const net = require('net');
const os = require('os');
const path = require('path');
const { EventEmitter } = require('events');
const Defaults = require('../entities/Defaults.js');

class IPC {
  constructor() {
    this.config = new Defaults();
    this.of = {};
    this.server = false;
  }

  socketPath(id) {
    const name = `${this.config.appspace}${id || this.config.id}`;
    return process.platform === 'win32' ? path.join('\\\\?\\pipe', os.tmpdir(), name) : path.join(this.config.socketRoot, name);
  }

  serve(path_, callback) {
    const emitter = new EventEmitter();
    const server = net.createServer((socket) => {
      socket.setEncoding(this.config.encoding);
      socket.on('data', (data) => {
        for (const line of String(data).split(this.config.delimiter).filter(Boolean)) {
          try {
            const message = JSON.parse(line);
            emitter.emit(message.type, message.data, socket);
          } catch (err) {
            emitter.emit('error', err);
          }
        }
      });
    });
    this.server = { emitter, server, start: () => server.listen(path_ || this.socketPath(), callback), on: (e, f) => emitter.on(e, f) };
    return this.server;
  }

  connectTo(id, path_, callback) {
    const socket = net.connect(path_ || this.socketPath(id), callback);
    const emitter = new EventEmitter();
    socket.setEncoding(this.config.encoding);
    socket.on('data', (data) => {
      for (const line of String(data).split(this.config.delimiter).filter(Boolean)) {
        const message = JSON.parse(line);
        emitter.emit(message.type, message.data);
      }
    });
    this.of[id] = {
      on: (e, f) => emitter.on(e, f),
      emit: (type, data) => socket.write(JSON.stringify({ type, data }) + this.config.delimiter),
    };
    return this.of[id];
  }
}

module.exports = IPC;
