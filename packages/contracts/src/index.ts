export * from './errors.js';
export * from './common.js';
export * from './accounts.js';
export * from './rooms.js';
export * from './messages.js';
export * from './realtime.js';
