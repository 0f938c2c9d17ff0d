/** A stored setting: `_id` is the setting key. Defaults live in the registry, not here. */
export interface SettingDoc {
  _id: string;
  value: unknown;
  updatedAt: Date;
  updatedBy?: string;
}
export const SETTINGS_COLLECTION = 'settings';
