import { z } from 'zod';
import type { SettingType } from '@obmeet/contracts';

export interface SchemaDescription {
  type: SettingType;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
}

/**
 * What input the admin page needs for a setting, read from its zod schema, so the registry
 * stays the single description of every setting.
 */
export function describeSchema(schema: z.ZodTypeAny): SchemaDescription {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s._def.innerType;
  if (s instanceof z.ZodBoolean) return { type: 'boolean' };
  if (s instanceof z.ZodNumber) {
    return {
      type: s.isInt ? 'int' : 'number',
      ...(Number.isFinite(s.minValue) ? { min: s.minValue! } : {}),
      ...(Number.isFinite(s.maxValue) ? { max: s.maxValue! } : {}),
    };
  }
  if (s instanceof z.ZodEnum) return { type: 'enum', options: [...(s.options as string[])] };
  if (s instanceof z.ZodArray) return { type: 'stringList' };
  if (s instanceof z.ZodString) return { type: 'string', ...(s.maxLength !== null ? { maxLength: s.maxLength } : {}) };
  throw new Error(`settings registry: no admin input for schema ${s._def.typeName as string}`);
}
