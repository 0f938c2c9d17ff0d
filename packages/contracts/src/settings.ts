import { z } from 'zod';

/** The input kinds the admin settings page renders; derived from each setting's schema. */
export type SettingType = 'boolean' | 'int' | 'number' | 'string' | 'enum' | 'stringList';

/**
 * One setting as `GET settings` returns it. Everyone gets `_id`, `value`, `public`; admins also
 * get the metadata the settings page is generated from. A secret's value is never sent (not
 * even to admins): `hasValue` says whether one is stored, and it can only be replaced or reset.
 */
export interface SettingDto {
  _id: string;
  value?: unknown;
  public: boolean;
  /** admin only from here on */
  section?: string;
  type?: SettingType;
  default?: unknown;
  secret?: boolean;
  hasValue?: boolean;
  /** true when a value is stored (not the default) */
  changed?: boolean;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  updatedAt?: string;
}

export const SetSettingBody = z
  .object({ value: z.union([z.string().max(10_000), z.number(), z.boolean(), z.array(z.string().max(1000)).max(1000)]) })
  .strict();
export const SettingKeyParam = z.object({ key: z.string().min(1).max(100).regex(/^[a-zA-Z0-9._-]+$/) });
