import { useEffect, useState } from 'react';
import type { PushPreference } from '@obmeet/contracts';
import { errorMessage } from '../../api';
import { pushApi } from '../../api/push';
import { Icon } from '../../components/Icon';

export const PUSH_CHOICES: { id: PushPreference; label: string; hint: string }[] = [
  { id: 'all', label: 'All messages', hint: 'Every new message in your rooms.' },
  { id: 'mentions', label: 'Mentions and direct messages', hint: 'When someone writes to you directly, mentions you or @all.' },
  { id: 'nothing', label: 'Nothing', hint: 'No push notifications to your devices.' },
];

/** The account page's "Notifications" section: the default push preference for rooms without their own. */
export function NotificationPreferences() {
  const [value, setValue] = useState<PushPreference | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    pushApi.preferences().then(
      (r) => setValue(r.preferences.pushNotifications),
      (e) => setError(errorMessage(e)),
    );
  }, []);

  async function choose(next: PushPreference) {
    setError(null);
    setSaved(false);
    const before = value;
    setValue(next);
    try {
      await pushApi.setPreferences(next);
      setSaved(true);
    } catch (e) {
      setValue(before);
      setError(errorMessage(e));
    }
  }

  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <p className="muted small">Push notifications to your phone when you are not active here. Each room can override this in its room info.</p>
      {value === null && !error && <p className="muted">Loading…</p>}
      {value !== null && (
        <fieldset className="segmented">
          <legend className="visually-hidden">Push notifications</legend>
          {PUSH_CHOICES.map((c) => (
            <label key={c.id} className={value === c.id ? 'selected' : undefined}>
              <input type="radio" name="push-default" value={c.id} checked={value === c.id} onChange={() => void choose(c.id)} />
              <strong>{c.label}</strong>
              <span className="muted small">{c.hint}</span>
            </label>
          ))}
        </fieldset>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <p className="form-success" role="status">
          <Icon name="check" size={14} /> Saved.
        </p>
      )}
    </section>
  );
}
