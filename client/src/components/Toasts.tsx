import { chatStore, useChat } from '../state/chatStore';
import { navigate, roomPath } from '../lib/router';
import { Icon } from './Icon';

/** Short-lived notices (mentions, direct messages, meeting invitations, errors) in the corner of the screen. */
export function Toasts() {
  const toasts = useChat((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          {t.rid || t.href ? (
            <button
              type="button"
              className="toast-text"
              onClick={() => {
                navigate(t.href ?? roomPath(t.rid!, { msgId: t.msgId }));
                chatStore.dismissToast(t.id);
              }}
            >
              {t.text}
            </button>
          ) : (
            <span className="toast-text">{t.text}</span>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => chatStore.dismissToast(t.id)}>
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
