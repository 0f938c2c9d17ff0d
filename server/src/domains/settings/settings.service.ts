import { Errors } from '../../errors.js';
import type { Clock } from '../../clock.js';
import { SettingsStore } from './settings.store.js';
import type { SettingDto } from '@obmeet/contracts';
import { isSettingKey, SettingsRegistry, type SettingDefinition, type SettingKey, type SettingValue } from './settings.registry.js';
import { describeSchema } from './settings.describe.js';

/** Values are cached briefly; other server processes see a change within CACHE_MS. */
const CACHE_MS = 2000;

export class SettingsService {
  private cache: Map<string, unknown> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly store: SettingsStore,
    private readonly clock: Clock,
  ) {}

  private async values(): Promise<Map<string, unknown>> {
    if (!this.cache || Date.now() - this.loadedAt > CACHE_MS) {
      const docs = await this.store.all();
      this.cache = new Map(docs.map((d) => [d._id, d.value]));
      this.loadedAt = Date.now();
    }
    return this.cache;
  }

  async get<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
    const stored = (await this.values()).get(key);
    const def = SettingsRegistry[key];
    const parsed = def.schema.safeParse(stored);
    return (parsed.success ? parsed.data : def.default) as SettingValue<K>;
  }

  async set(key: string, value: unknown, actorId?: string): Promise<void> {
    if (!isSettingKey(key)) throw Errors.invalid(`Unknown setting ${key}`);
    const parsed = SettingsRegistry[key].schema.safeParse(value);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => i.message).join('; ');
      throw Errors.invalid(`Invalid value for ${key}: ${reason}`, parsed.error.issues);
    }
    await this.store.set(key, parsed.data, actorId, this.clock.now());
    this.cache = null;
  }

  /** Removes the stored value, so the registry default applies again. */
  async reset(key: string): Promise<void> {
    if (!isSettingKey(key)) throw Errors.invalid(`Unknown setting ${key}`);
    await this.store.unset(key);
    this.cache = null;
  }

  /**
   * Settings as clients see them: public ones for everyone; for admins (`includePrivate`) all
   * of them with the metadata the admin page is generated from. Secret values are never included.
   */
  async list(includePrivate: boolean): Promise<SettingDto[]> {
    const stored = includePrivate ? new Map((await this.store.all()).map((d) => [d._id, d])) : null;
    const out: SettingDto[] = [];
    for (const key of Object.keys(SettingsRegistry) as SettingKey[]) {
      const def: SettingDefinition = SettingsRegistry[key];
      if (!def.public && !includePrivate) continue;
      const value = await this.get(key);
      const dto: SettingDto = def.secret ? { _id: key, public: def.public } : { _id: key, value, public: def.public };
      if (stored) {
        const doc = stored.get(key);
        Object.assign(dto, {
          section: key.split('.')[0],
          ...describeSchema(def.schema),
          ...(def.secret ? { secret: true, hasValue: Boolean(doc) } : { default: def.default }),
          changed: Boolean(doc),
          ...(doc?.updatedAt ? { updatedAt: doc.updatedAt.toISOString() } : {}),
        });
      }
      out.push(dto);
    }
    return out;
  }
}
