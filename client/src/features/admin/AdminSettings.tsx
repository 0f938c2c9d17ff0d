import { useEffect, useId, useMemo, useState } from 'react';
import type { SettingDto } from '@obmeet/contracts';
import { adminApi, errorMessage, type SettingValueInput } from '../../api';
import { Icon } from '../../components/Icon';
import { formatFull } from '../../lib/time';
import '../../styles/admin.css';
import { SETTING_TEXTS, sectionTitle, settingLabel } from './settingTexts';

/** Every setting of the workspace, grouped by section, generated from the server's registry. */
export function AdminSettings() {
  const [settings, setSettings] = useState<SettingDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  const load = () =>
    adminApi
      .settings()
      .then((s) => {
        setSettings(s);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  useEffect(() => void load(), []);

  const sections = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const groups = new Map<string, SettingDto[]>();
    for (const s of settings ?? []) {
      if (needle && !s._id.toLowerCase().includes(needle) && !settingLabel(s._id).toLowerCase().includes(needle)) continue;
      const section = s.section ?? s._id.split('.')[0];
      groups.set(section, [...(groups.get(section) ?? []), s]);
    }
    return [...groups.entries()];
  }, [settings, filter]);

  return (
    <div className="admin-page">
      <div className="row-between">
        <h2>Settings</h2>
        <div className="search-field admin-search">
          <Icon name="search" size={16} className="input-icon" />
          <input type="search" placeholder="Find a setting" aria-label="Find a setting" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!settings && !error && <p className="muted">Loading…</p>}
      {settings && sections.length === 0 && <p className="muted">No setting matches “{filter}”.</p>}
      {sections.map(([section, items]) => (
        <section key={section} className="card settings-section" aria-labelledby={`settings-${section}`}>
          <h3 id={`settings-${section}`}>{sectionTitle(section)}</h3>
          {items.map((s) => (
            <SettingRow key={s._id} setting={s} onSaved={load} />
          ))}
        </section>
      ))}
    </div>
  );
}

function draftOf(s: SettingDto): string {
  if (s.secret) return '';
  if (s.type === 'stringList') return Array.isArray(s.value) ? (s.value as string[]).join('\n') : '';
  return s.value === undefined || s.value === null ? '' : String(s.value);
}

/** The draft text of an input → the JSON value the server expects (it validates; we only convert). */
function valueOf(s: SettingDto, draft: string): SettingValueInput {
  if (s.type === 'int' || s.type === 'number') {
    const n = Number(draft);
    // a non-number goes as typed, so the server's message explains what is wrong
    return draft.trim() !== '' && Number.isFinite(n) ? n : draft;
  }
  if (s.type === 'stringList') return draft.split('\n').map((l) => l.trim()).filter(Boolean);
  return draft;
}

function SettingRow({ setting: s, onSaved }: { setting: SettingDto; onSaved: () => Promise<void> }) {
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(s));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setDraft(draftOf(s)), [s]);

  const text = SETTING_TEXTS[s._id];
  const dirty = s.secret ? draft !== '' : draft !== draftOf(s);

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await action();
      await onSaved();
      setSaved(done);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  const save = (value: SettingValueInput) => run(() => adminApi.setSetting(s._id, value), 'Saved');
  const reset = () => run(() => adminApi.resetSetting(s._id), 'Back to the default');

  let input: React.ReactNode;
  if (s.type === 'boolean') {
    input = (
      <label className="switch">
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={s.value === true}
          disabled={busy}
          onChange={(e) => void save(e.target.checked)}
        />
        <span className="switch-track" aria-hidden="true" />
        <span>{s.value === true ? 'On' : 'Off'}</span>
      </label>
    );
  } else if (s.type === 'enum') {
    input = (
      <select id={id} value={draft} disabled={busy} onChange={(e) => setDraft(e.target.value)}>
        {(s.options ?? []).map((o) => (
          <option key={o} value={o}>
            {text?.choices?.[o] ? `${text.choices[o]} (${o})` : o}
          </option>
        ))}
      </select>
    );
  } else if (s.type === 'int' || s.type === 'number') {
    input = (
      <input id={id} type="number" inputMode="numeric" value={draft} min={s.min} max={s.max} step={s.type === 'int' ? 1 : 'any'} disabled={busy} onChange={(e) => setDraft(e.target.value)} />
    );
  } else if (s.type === 'stringList') {
    input = <textarea id={id} rows={4} value={draft} disabled={busy} onChange={(e) => setDraft(e.target.value)} />;
  } else if (s.secret) {
    input = (
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={draft}
        placeholder={s.hasValue ? '•••••••• (a value is set; type to replace it)' : 'Not set'}
        disabled={busy}
        onChange={(e) => setDraft(e.target.value)}
      />
    );
  } else {
    input = <input id={id} type="text" value={draft} maxLength={s.maxLength} disabled={busy} onChange={(e) => setDraft(e.target.value)} />;
  }

  const limits =
    s.type === 'int' || s.type === 'number'
      ? [s.min !== undefined ? `at least ${s.min.toLocaleString()}` : '', s.max !== undefined ? `at most ${s.max.toLocaleString()}` : ''].filter(Boolean).join(', ')
      : '';
  const showDefault = !s.secret && s.default !== undefined && s.type !== 'boolean' && String(s.default) !== '';

  return (
    <div className="setting-row" data-setting={s._id}>
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {settingLabel(s._id)}
        </label>
        <div className="setting-meta">
          <code>{s._id}</code>
          {!s.public && <span className="tag">Admins only</span>}
          {s.secret && <span className="tag tag-warning">Secret</span>}
          {s.changed && <span className="tag">Changed</span>}
        </div>
        {text?.help && <p className="field-hint">{text.help}</p>}
        {(limits || showDefault) && (
          <p className="field-hint">
            {limits && `${limits[0].toUpperCase()}${limits.slice(1)}.`} {showDefault && `Default: ${String(s.default)}.`}
          </p>
        )}
        {s.updatedAt && <p className="field-hint">Last changed {formatFull(s.updatedAt)}</p>}
      </div>
      <div className="setting-control">
        {input}
        <div className="setting-actions">
          {s.type !== 'boolean' && (
            <button type="button" className="button button-small button-primary" disabled={busy || !dirty} onClick={() => void save(valueOf(s, draft))}>
              Save
            </button>
          )}
          {s.changed && (
            <button type="button" className="button button-small" disabled={busy} onClick={() => void reset()}>
              Reset to default
            </button>
          )}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {saved && !error && (
          <p className="form-success small" role="status">
            <Icon name="check" size={14} /> {saved}
          </p>
        )}
      </div>
    </div>
  );
}
