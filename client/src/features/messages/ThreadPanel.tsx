import { useEffect, useLayoutEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';
import { chatStore, useChat, type PendingMessage } from '../../state/chatStore';
import { FileDropZone } from '../files/FileDropZone';
import { Composer } from './Composer';
import type { EphemeralMessageDto } from '@obmeet/contracts';
import { EphemeralItem, MessageItem, PendingItem } from './MessageItem';
import { TypingIndicator } from './TypingIndicator';

const NONE: PendingMessage[] = [];
const NO_EPHEMERAL: EphemeralMessageDto[] = [];

/** The side panel with a message and its replies. */
export function ThreadPanel({
  rid,
  tmid,
  me,
  canModerate,
  disabledReason,
  onClose,
  onJumpToParent,
}: {
  rid: string;
  tmid: string;
  me: { _id: string; username: string };
  canModerate: boolean;
  disabledReason?: string;
  onClose: () => void;
  onJumpToParent: () => void;
}) {
  const thread = useChat((s) => s.threads[tmid]);
  const pending = useChat((s) => s.pending[rid] ?? NONE);
  const ephemeral = useChat((s) => s.ephemeral[rid] ?? NO_EPHEMERAL);
  const scroller = useRef<HTMLDivElement>(null);
  const threadPending = pending.filter((p) => p.tmid === tmid);

  useEffect(() => {
    void chatStore.loadThread(rid, tmid);
    return () => chatStore.closeThread(tmid);
  }, [rid, tmid]);

  // the newest reply is at the bottom: keep it in view as replies arrive
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [thread?.replies.length, threadPending.length]);

  const parent = thread?.parent;
  return (
    <aside className="side-panel thread-panel" aria-label="Thread">
      <FileDropZone rid={rid} tmid={tmid} label="Drop files to reply in the thread" disabled={Boolean(disabledReason)} />
      <header className="side-panel-header">
        <Icon name="thread" />
        <h2>Thread</h2>
        <button type="button" className="icon-button" aria-label="Close thread" onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      <div className="side-panel-scroll" ref={scroller}>
        {thread?.error && !thread.loaded && (
          <p className="form-error" role="alert">
            {thread.error}
          </p>
        )}
        {!thread?.loaded && !thread?.error && <p className="muted center">Loading thread…</p>}
        {parent && (
          <div className="thread-parent">
            <MessageItem message={parent} grouped={false} me={me} canModerate={canModerate} canInteract={!disabledReason} inThread />
            <button type="button" className="link-button thread-jump" onClick={onJumpToParent}>
              Show in room
            </button>
          </div>
        )}
        {thread?.loaded && (
          <div className="thread-count">
            {thread.replies.length} {thread.replies.length === 1 ? 'reply' : 'replies'}
          </div>
        )}
        <div className="thread-replies" data-testid="thread-replies">
          {thread?.replies
            .filter((m) => !m.deleted)
            .map((m, i, all) => (
              <MessageItem
                key={m._id}
                message={m}
                grouped={i > 0 && all[i - 1].u._id === m.u._id && new Date(m.ts).getTime() - new Date(all[i - 1].ts).getTime() < 5 * 60_000}
                me={me}
                canModerate={canModerate}
                canInteract={!disabledReason}
                inThread
              />
            ))}
          {threadPending.map((p) => (
            <PendingItem key={p._id} pending={p} me={me} grouped={false} />
          ))}
          {ephemeral
            .filter((e) => e.tmid === tmid)
            .map((e) => (
              <EphemeralItem key={e._id} message={e} me={me.username} />
            ))}
        </div>
      </div>
      <TypingIndicator rid={rid} tmid={tmid} />
      <Composer key={`${rid}:${tmid}`} rid={rid} tmid={tmid} autoFocus placeholder="Reply…" disabledReason={disabledReason} />
    </aside>
  );
}
