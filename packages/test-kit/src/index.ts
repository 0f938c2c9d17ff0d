export * from './ferretdb.js';
export * from './api.js';
export * from './fcm-standin.js';
export * from './net-guard.js';
export * from './recording-proxy.js';
export * from './janus.js';
