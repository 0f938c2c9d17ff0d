import { z } from 'zod';

/**
 * Every setting the workspace knows: its type, default, and whether non-admins may read it.
 * Adding a setting means adding a line here; nothing else reads an unknown key.
 */
export const SettingsRegistry = {
  'accounts.registration': { schema: z.enum(['open', 'invite', 'closed']), default: 'open', public: true },
  'messages.maxLength': { schema: z.number().int().min(1).max(100_000), default: 5000, public: true },
  'messages.editWindowMinutes': { schema: z.number().int().min(0).max(525_600), default: 0, public: true },
  'site.name': { schema: z.string().min(1).max(80), default: 'OBMeet', public: true },
  /** host names outgoing webhooks may reach even when they resolve to private or loopback addresses (comma-separated) */
  'integrations.allowedHosts': { schema: z.string().max(2000), default: '', public: false },
} as const satisfies Record<string, { schema: z.ZodTypeAny; default: unknown; public: boolean }>;

export type SettingKey = keyof typeof SettingsRegistry;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SettingsRegistry)[K]['schema']>;

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SettingsRegistry, key);
}
