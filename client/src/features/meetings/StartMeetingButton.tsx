import { useState } from 'react';
import { errorMessage } from '../../api';
import { meetingPath, navigate } from '../../lib/router';
import { chatStore } from '../../state/chatStore';
import { MeetIcon } from './MeetIcons';
import { meetingsApi } from './meetingsApi';

/** "Start meeting" in a room header, "Call" in a direct message: creates the meeting and opens it. */
export function StartMeetingButton({ rid, direct }: { rid: string; direct: boolean }) {
  const [busy, setBusy] = useState(false);
  const label = direct ? 'Call' : 'Start meeting';
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={label}
      title={label}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        meetingsApi
          .create(rid)
          .then((r) => navigate(meetingPath(r.meeting.token ?? r.meeting._id)))
          .catch((e: unknown) => chatStore.toast({ text: errorMessage(e), kind: 'error' }))
          .finally(() => setBusy(false));
      }}
    >
      <MeetIcon name={direct ? 'phone' : 'video'} />
    </button>
  );
}
