import { useState, type FormEvent } from 'react';
import { errorMessage, roomsApi } from '../../api';
import { Dialog } from '../../components/Dialog';
import { UserPicker, type PickedUser } from '../../components/UserPicker';
import { navigate, roomPath } from '../../lib/router';
import { chatStore } from '../../state/chatStore';

const NAME_RULE = /^[^\s#@.$]+$/u;

export function CreateRoomDialog({ onClose, me }: { onClose: () => void; me: string }) {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [readOnly, setReadOnly] = useState(false);
  const [members, setMembers] = useState<PickedUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const nameProblem = name && !NAME_RULE.test(name) ? 'Names cannot contain spaces, #, @, . or $.' : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (nameProblem) return;
    setBusy(true);
    setError(null);
    try {
      const room = await roomsApi.create(isPrivate ? 'p' : 'c', {
        name: name.trim(),
        members: members.map((m) => m.username),
        readOnly,
        ...(topic.trim() ? { topic: topic.trim() } : {}),
      });
      chatStore.addRoom(room);
      await chatStore.loadRoomsAndSubscriptions();
      onClose();
      navigate(roomPath(room._id));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Create a channel"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-room-form" className="button button-primary" disabled={busy || !name.trim() || Boolean(nameProblem)}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </>
      }
    >
      <form id="create-room-form" className="form" onSubmit={submit}>
        <fieldset className="segmented" aria-label="Who can find it">
          <legend className="visually-hidden">Visibility</legend>
          <label className={!isPrivate ? 'selected' : undefined}>
            <input type="radio" name="visibility" checked={!isPrivate} onChange={() => setPrivate(false)} />
            <strong>Public</strong>
            <span>Anyone in the workspace can find and join it.</span>
          </label>
          <label className={isPrivate ? 'selected' : undefined}>
            <input type="radio" name="visibility" checked={isPrivate} onChange={() => setPrivate(true)} />
            <strong>Private</strong>
            <span>Only invited people can see it.</span>
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="room-name">Name</label>
          <div className="input-prefixed">
            <span aria-hidden="true">{isPrivate ? '🔒' : '#'}</span>
            <input
              id="room-name"
              data-autofocus
              required
              maxLength={64}
              placeholder="e.g. plan-budget"
              value={name}
              onChange={(e) => setName(e.target.value.replace(/\s/g, '-'))}
              aria-invalid={Boolean(nameProblem)}
              aria-describedby="room-name-hint"
            />
          </div>
          <p className={nameProblem ? 'field-error' : 'field-hint'} id="room-name-hint">
            {nameProblem ?? 'Lowercase, short and without spaces works best.'}
          </p>
        </div>
        <div className="field">
          <label htmlFor="room-topic">
            Topic <span className="optional">(optional)</span>
          </label>
          <input id="room-topic" maxLength={500} value={topic} onChange={(e) => setTopic(e.target.value)} />
        </div>
        <UserPicker label="Add members" selected={members} onChange={setMembers} exclude={[me]} />
        <label className="checkbox">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
          <span>
            <strong>Read-only</strong> — only owners and moderators can post (announcements).
          </span>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
