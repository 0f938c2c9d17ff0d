import { useState } from 'react';
import type { RoomDto, SubscriptionDto } from '@obmeet/contracts';
import { errorMessage, roomsApi } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { meetingsPath, navigate } from '../../lib/router';
import { formatFull } from '../../lib/time';
import { chatStore } from '../../state/chatStore';
import { roomIcon, roomTitle } from './roomDisplay';
import { RoomNotificationSettings } from '../notifications/RoomNotificationSettings';

function EditableField({
  label,
  value,
  multiline = false,
  maxLength,
  canEdit,
  onSave,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  maxLength: number;
  canEdit: boolean;
  onSave: (v: string) => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const id = `field-${label.toLowerCase().replace(/\s+/g, '-')}`;
  if (!editing) {
    return (
      <div className="info-field">
        <div className="info-label">{label}</div>
        <div className="info-value">{value || <span className="muted">None</span>}</div>
        {canEdit && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDraft(value);
              setEditing(true);
            }}
          >
            Edit {label.toLowerCase()}
          </button>
        )}
      </div>
    );
  }
  const save = async () => {
    try {
      await onSave(draft.trim());
      setEditing(false);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="info-field">
      <label className="info-label" htmlFor={id}>
        {label}
      </label>
      {multiline ? (
        <textarea id={id} rows={3} maxLength={maxLength} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
      ) : (
        <input id={id} maxLength={maxLength} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void save()} />
      )}
      {error && <p className="field-error">{error}</p>}
      <div className="row-end">
        <button type="button" className="button button-small" onClick={() => setEditing(false)}>
          Cancel
        </button>
        <button type="button" className="button button-small button-primary" onClick={() => void save()}>
          Save
        </button>
      </div>
    </div>
  );
}

export function RoomInfoPanel({
  room,
  sub,
  canManage,
  me,
  onClose,
}: {
  room: RoomDto;
  sub: SubscriptionDto | undefined;
  canManage: boolean;
  me: string;
  onClose: () => void;
}) {
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editable = canManage && room.t !== 'd' && !room.archived;
  const run = (action: () => Promise<unknown>) => void action().catch((e) => setError(errorMessage(e)));

  return (
    <aside className="side-panel" aria-label="Room information">
      <header className="side-panel-header">
        <Icon name="info" />
        <h2>Room info</h2>
        <button type="button" className="icon-button" aria-label="Close room info" onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      <div className="side-panel-scroll">
        <div className="room-info-title">
          <Icon name={roomIcon(room.t)} size={28} />
          <h3>{roomTitle(sub, room, me)}</h3>
          <div className="tags">
            {room.t === 'c' && <span className="tag">Public channel</span>}
            {room.t === 'p' && <span className="tag">Private group</span>}
            {room.t === 'd' && <span className="tag">Direct message</span>}
            {room.ro && <span className="tag tag-warning">Read-only</span>}
            {room.archived && <span className="tag tag-warning">Archived</span>}
          </div>
          <a className="link-button" href={meetingsPath(room._id)} onClick={(e) => (e.preventDefault(), navigate(meetingsPath(room._id)))}>
            Meeting history
          </a>
        </div>
        {room.t !== 'd' && (
          <EditableField
            label="Name"
            value={room.name ?? ''}
            maxLength={64}
            canEdit={editable}
            onSave={async (v) => {
              await roomsApi.rename(room.t, room._id, v);
            }}
          />
        )}
        <EditableField
          label="Topic"
          value={room.topic ?? ''}
          maxLength={500}
          canEdit={editable}
          onSave={async (v) => {
            await roomsApi.setTopic(room.t, room._id, v);
          }}
        />
        {room.t !== 'd' && (
          <EditableField
            label="Announcement"
            value={room.announcement ?? ''}
            multiline
            maxLength={2000}
            canEdit={editable}
            onSave={async (v) => {
              await roomsApi.setAnnouncement(room.t, room._id, v);
            }}
          />
        )}
        <div className="info-field">
          <div className="info-label">Created</div>
          <div className="info-value">
            {formatFull(room.ts)} by @{room.u.username}
          </div>
        </div>
        <div className="info-field">
          <div className="info-label">Messages</div>
          <div className="info-value">{room.msgs}</div>
        </div>
        {sub && <RoomNotificationSettings roomId={room._id} muted={sub.muted} />}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="panel-actions">
          {sub && (
            <button type="button" className="button" onClick={() => run(() => roomsApi.setFavorite(room._id, !sub.f).then(() => chatStore.patchSubscription(room._id, { f: !sub.f })))}>
              <Icon name="star" size={16} filled={sub.f} /> {sub.f ? 'Remove from favourites' : 'Add to favourites'}
            </button>
          )}
          {sub && (
            <button
              type="button"
              className="button"
              aria-pressed={sub.muted}
              onClick={() => run(() => roomsApi.setFlags(room._id, { muted: !sub.muted }).then(() => chatStore.patchSubscription(room._id, { muted: !sub.muted })))}
            >
              <Icon name="bellOff" size={16} /> {sub.muted ? 'Unmute room' : 'Mute room'}
            </button>
          )}
          {sub && room.t === 'd' && (
            <button
              type="button"
              className="button"
              onClick={() =>
                run(async () => {
                  await roomsApi.setFlags(room._id, { open: false });
                  chatStore.patchSubscription(room._id, { open: false });
                  navigate('/');
                })
              }
            >
              <Icon name="eye" size={16} /> Hide conversation
            </button>
          )}
          {canManage && room.t !== 'd' && (
            <button type="button" className="button" onClick={() => run(() => roomsApi.setArchived(room.t, room._id, !room.archived))}>
              <Icon name="archive" size={16} /> {room.archived ? 'Unarchive room' : 'Archive room'}
            </button>
          )}
          {sub && room.t !== 'd' && (
            <button type="button" className="button button-danger-outline" onClick={() => setConfirmLeave(true)}>
              <Icon name="logout" size={16} /> Leave room
            </button>
          )}
        </div>
      </div>
      {confirmLeave && (
        <Dialog
          title="Leave this room?"
          onClose={() => setConfirmLeave(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirmLeave(false)}>
                Stay
              </button>
              <button
                type="button"
                className="button button-danger"
                onClick={() =>
                  run(async () => {
                    await roomsApi.leave(room.t, room._id);
                    setConfirmLeave(false);
                    chatStore.forgetRoom(room._id);
                    navigate('/');
                  })
                }
              >
                Leave
              </button>
            </>
          }
        >
          <p>
            You will stop receiving messages from <strong>{roomTitle(sub, room, me)}</strong>.
            {room.t === 'p' ? ' You need a new invitation to come back.' : ' You can join again from the directory.'}
          </p>
        </Dialog>
      )}
    </aside>
  );
}
