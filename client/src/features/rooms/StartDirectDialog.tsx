import { useState, type FormEvent } from 'react';
import { errorMessage, roomsApi } from '../../api';
import { Dialog } from '../../components/Dialog';
import { UserPicker, type PickedUser } from '../../components/UserPicker';
import { navigate, roomPath } from '../../lib/router';
import { chatStore } from '../../state/chatStore';

export function StartDirectDialog({ onClose, me }: { onClose: () => void; me: string }) {
  const [people, setPeople] = useState<PickedUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (people.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const { room } = await roomsApi.openDirect(people.map((p) => p.username));
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
      title="Start a direct message"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="start-direct-form" className="button button-primary" disabled={busy || people.length === 0}>
            {busy ? 'Opening…' : 'Go'}
          </button>
        </>
      }
    >
      <form id="start-direct-form" className="form" onSubmit={submit}>
        <p className="muted">Talk one-to-one, or pick several people for a small group conversation.</p>
        <UserPicker label="To" selected={people} onChange={setPeople} exclude={[me]} autoFocus />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
