export { SettingsService } from './settings.service.js';
export { SettingsStore } from './settings.store.js';
export { SettingsRegistry, type SettingKey } from './settings.registry.js';
