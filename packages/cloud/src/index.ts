export { loadConfig, type CloudConfig, type FcmConfig } from './config/config.js';
export { createLogger, type Logger } from './logger.js';
export { startCloud, buildCloud, type Cloud, type CloudOptions, type RunningCloud } from './cloud.js';
export { FirebasePushTransport, loopbackHttpsAgent, fcmSettingsFromConfig, toMulticast, type FcmSettings } from './fcm/firebase.js';
export type { PushTransport, PushMessage, PushOutcome } from './domains/push/index.js';
export type { Clock } from './clock.js';
