export * from './ferretdb.js';
export * from './api.js';
