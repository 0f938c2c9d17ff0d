import { Errors } from '../../errors.js';
import type { Clock } from '../../clock.js';
import { SettingsStore } from './settings.store.js';
import { isSettingKey, SettingsRegistry, type SettingKey, type SettingValue } from './settings.registry.js';

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
    if (!parsed.success) throw Errors.invalid(`Invalid value for ${key}`, parsed.error.issues);
    await this.store.set(key, parsed.data, actorId, this.clock.now());
    this.cache = null;
  }

  async list(includePrivate: boolean): Promise<{ _id: string; value: unknown; public: boolean }[]> {
    const out = [];
    for (const key of Object.keys(SettingsRegistry) as SettingKey[]) {
      const def = SettingsRegistry[key];
      if (!def.public && !includePrivate) continue;
      out.push({ _id: key, value: await this.get(key), public: def.public });
    }
    return out;
  }
}
