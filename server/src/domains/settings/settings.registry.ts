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
  /** uploads: largest file in bytes (checked while streaming) */
  'files.maxSizeBytes': { schema: z.number().int().min(1).max(10 * 1024 ** 3), default: 100 * 1024 * 1024, public: true },
  /** comma-separated MIME patterns (`image/*, application/pdf`); empty allows every type not blocked. Checked on the detected type. */
  'files.allowedTypes': { schema: z.string().max(2000), default: '', public: true },
  'files.blockedTypes': {
    schema: z.string().max(2000),
    default: 'application/x-msdownload, application/x-dosexec, application/vnd.microsoft.portable-executable, application/x-elf, application/x-executable, application/x-mach-binary, application/x-sharedlib',
    public: true,
  },
  /** where new uploads go: the workspace database (default: a database backup holds the files) or a directory */
  'files.storage': { schema: z.enum(['database', 'disk']), default: 'database', public: false },
  /** absolute directory for `files.storage = disk` */
  'files.diskPath': { schema: z.string().max(1000), default: '', public: false },
  'location.sharingEnabled': { schema: z.boolean(), default: false, public: true },
  /** what a push may carry to the vendor's gateway: `full` text, `sender` and room names only, or only the message `id` (the device fetches the message itself) */
  'push.contentMode': { schema: z.enum(['full', 'sender', 'id']), default: 'id', public: false },
  /** meetings may be recorded (by a moderator, in their browser, into the file storage); off by default */
  'meetings.recording.allowed': { schema: z.boolean(), default: false, public: true },
  /** send the anonymous statistics document (counts and versions only) to the vendor cloud daily; off by default */
  'statistics.sharing': { schema: z.boolean(), default: false, public: false },
} as const satisfies Record<string, SettingDefinition>;

/** `secret`: the value is write-only: never sent to any client, not even to admins. */
export interface SettingDefinition {
  schema: z.ZodTypeAny;
  default: unknown;
  public: boolean;
  secret?: boolean;
}

export type SettingKey = keyof typeof SettingsRegistry;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SettingsRegistry)[K]['schema']>;

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SettingsRegistry, key);
}
