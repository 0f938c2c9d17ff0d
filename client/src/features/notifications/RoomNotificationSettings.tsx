import { useEffect, useState } from 'react';
import type { RoomNotificationDto, RoomPushPreference } from '@obmeet/contracts';
import { errorMessage } from '../../api';
import { pushApi } from '../../api/push';

const LABELS: Record<Exclude<RoomPushPreference, 'default'>, string> = {
  all: 'All messages',
  mentions: 'Mentions and direct messages',
  nothing: 'Nothing',
};

/**
 * Push notifications for one room (room info panel): its own setting or the account default.
 * Muting is the panel's Mute button (the same subscription flag), passed in as `muted`.
 */
export function RoomNotificationSettings({ roomId, muted }: { roomId: string; muted: boolean }) {
  const [state, setState] = useState<RoomNotificationDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setState(null);
    pushApi.roomNotification(roomId).then(
      (r) => setState(r.notifications),
      (e) => setError(errorMessage(e)),
    );
  }, [roomId]);

  async function save(mobilePushNotifications: RoomPushPreference) {
    setError(null);
    try {
      const r = await pushApi.saveRoomNotification(roomId, { mobilePushNotifications });
      setState(r.notifications);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (!state) return error ? <p className="form-error" role="alert">{error}</p> : null;
  return (
    <div className="info-field" aria-label="Notifications">
      <div className="info-label">Push notifications</div>
      <select
        aria-label="Push notifications for this room"
        value={state.mobilePushNotifications}
        disabled={muted}
        onChange={(e) => void save(e.target.value as RoomPushPreference)}
      >
        <option value="default">Account default</option>
        {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((k) => (
          <option key={k} value={k}>
            {LABELS[k]}
          </option>
        ))}
      </select>
      <p className="muted small" data-testid="push-effective">
        {muted ? 'Muted: no notifications from this room.' : `Notifies you about: ${LABELS[state.effective].toLowerCase()}.`}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
