import { memo, useState } from 'react';
import type { EphemeralMessageDto, MessageDto } from '@obmeet/contracts';
import { errorMessage, messagesApi } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { emojiFor } from '../../lib/emoji';
import { renderMarkdown } from '../../lib/markdown';
import { roomPath } from '../../lib/router';
import { formatFull, formatRelative, formatTime } from '../../lib/time';
import { chatStore, type PendingMessage } from '../../state/chatStore';
import { LocationCard } from '../location/ShareLocation';
import { MeetingCard } from '../meetings/MeetingCard';
import { meetingsApi } from '../meetings/meetingsApi';
import { MessageAttachments } from './MessageAttachments';
import { ReactionPicker } from './ReactionPicker';

function systemText(m: MessageDto): string {
  switch (m.t) {
    case 'uj':
      return 'joined the room';
    case 'ul':
      return 'left the room';
    case 'au':
      return `added @${m.msg}`;
    case 'ru':
      return `removed @${m.msg}`;
    case 'r':
      return `renamed the room to ${m.msg}`;
    case 'room_changed_topic':
      return m.msg ? `changed the topic to: ${m.msg}` : 'cleared the topic';
    case 'room_changed_announcement':
      return m.msg ? `changed the announcement to: ${m.msg}` : 'cleared the announcement';
    case 'room-archived':
      return 'archived the room';
    case 'room-unarchived':
      return 'unarchived the room';
    case 'room_changed_privacy':
      return `changed the room type to ${m.msg}`;
    default:
      return m.msg;
  }
}

function reportError(e: unknown) {
  chatStore.toast({ text: errorMessage(e), kind: 'error' });
}

export interface MessageItemProps {
  message: MessageDto;
  /** continues the previous message of the same author: no avatar or name */
  grouped: boolean;
  me: { _id: string; username: string };
  canModerate: boolean;
  canInteract: boolean;
  inThread?: boolean;
  highlighted?: boolean;
  onOpenThread?: (tmid: string) => void;
}

export const MessageItem = memo(function MessageItem({
  message: m,
  grouped,
  me,
  canModerate,
  canInteract,
  inThread = false,
  highlighted = false,
  onOpenThread,
}: MessageItemProps) {
  const [picking, setPicking] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (m.t) {
    return (
      <div className="system-message" id={`msg-${m._id}`} data-message-id={m._id}>
        <span className="system-author">{m.u.name || m.u.username}</span> {systemText(m)}
        <time dateTime={m.ts} title={formatFull(m.ts)}>
          {formatTime(m.ts)}
        </time>
      </div>
    );
  }

  const mine = m.u._id === me._id;
  // bots and webhooks may post under another name and picture: say so
  const displayName = m.alias || m.u.name || m.u.username;
  const isBot = Boolean(m.bot || m.alias);
  const starred = Boolean(m.starred?.some((s) => s._id === me._id));
  const reactions = Object.entries(m.reactions ?? {}).filter(([, r]) => r.usernames.length > 0);
  const react = (emoji: string) => void messagesApi.react(m._id, emoji).catch(reportError);

  return (
    <article
      className={`message${grouped ? ' grouped' : ''}${highlighted ? ' highlighted' : ''}${m.pinned ? ' pinned' : ''}`}
      id={`msg-${m._id}`}
      data-message-id={m._id}
      aria-label={`${displayName}, ${formatFull(m.ts)}`}
      tabIndex={-1}
    >
      <div className="message-gutter">
        {grouped ? (
          <time className="message-hover-time" dateTime={m.ts} title={formatFull(m.ts)}>
            {formatTime(m.ts)}
          </time>
        ) : (
          <Avatar username={m.u.username} size={36} imageUrl={m.avatar} />
        )}
      </div>
      <div className="message-main">
        {!grouped && (
          <header className="message-header">
            <span className="message-author">{displayName}</span>
            {isBot ? <span className="tag">Bot</span> : <span className="message-username">@{m.u.username}</span>}
            <time dateTime={m.ts} title={formatFull(m.ts)}>
              {formatTime(m.ts)}
            </time>
          </header>
        )}
        {editing ? (
          <MessageEditor
            initial={m.msg}
            onCancel={() => setEditing(false)}
            onSave={async (text) => {
              await chatStore.editMessage(m, text);
              setEditing(false);
            }}
          />
        ) : (
          <div className={m.action ? 'message-body message-action' : 'message-body'}>
            {m.action && <span className="action-author">{displayName} </span>}
            <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(m.msg, me.username) }} />
            {m.editedAt && (
              <span className="edited-marker" title={`Edited ${formatFull(m.editedAt)}${m.editedBy ? ` by @${m.editedBy.username}` : ''}`}>
                (edited)
              </span>
            )}
          </div>
        )}
        {m.meeting ? (
          // the server edits the message as the meeting changes, so the card updates live; the
          // attachment is the plain fallback for other clients
          <MeetingCard
            data={{
              id: m.meeting._id,
              joinKey: m.meeting.token,
              title: m.meeting.title,
              status: m.meeting.status,
              startedByName: m.meeting.startedBy.name ?? m.meeting.startedBy.username,
              scheduledStart: m.meeting.scheduledStart,
              startedAt: m.meeting.startedAt,
              endedAt: m.meeting.endedAt,
              participants: m.meeting.participants,
              icsUrl: meetingsApi.icsUrl(m.meeting._id),
            }}
          />
        ) : m.location ? (
          <LocationCard location={m.location} />
        ) : (
          m.attachments && m.attachments.length > 0 && <MessageAttachments attachments={m.attachments} me={me.username} file={m.file} />
        )}
        {(m.pinned || starred) && (
          <div className="message-flags">
            {m.pinned && (
              <span className="flag">
                <Icon name="pin" size={12} /> Pinned
              </span>
            )}
            {starred && (
              <span className="flag">
                <Icon name="star" size={12} filled /> Starred
              </span>
            )}
          </div>
        )}
        {reactions.length > 0 && (
          <ul className="reactions" aria-label="Reactions">
            {reactions.map(([code, r]) => {
              const mineReacted = r.usernames.includes(me.username);
              return (
                <li key={code}>
                  <button
                    type="button"
                    className={`reaction${mineReacted ? ' mine' : ''}`}
                    aria-pressed={mineReacted}
                    title={`${r.usernames.map((u) => `@${u}`).join(', ')} reacted with ${code}`}
                    aria-label={`${code} ${r.usernames.length}, ${mineReacted ? 'remove your reaction' : 'react'}`}
                    data-emoji={code}
                    disabled={!canInteract}
                    onClick={() => react(code)}
                  >
                    <span className="reaction-emoji">{emojiFor(code) ?? code}</span>
                    <span className="reaction-count">{r.usernames.length}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {!inThread && (m.tcount ?? 0) > 0 && (
          <button type="button" className="thread-summary" onClick={() => onOpenThread?.(m._id)} data-testid="thread-summary">
            <Icon name="thread" size={14} />
            <strong>
              {m.tcount} {m.tcount === 1 ? 'reply' : 'replies'}
            </strong>
            {m.tlm && <span className="muted">Last reply {formatRelative(m.tlm)}</span>}
          </button>
        )}
      </div>
      {canInteract && !editing && (
        <div className="message-actions" role="toolbar" aria-label="Message actions">
          <button type="button" className="icon-button" aria-label="Add reaction" title="Add reaction" onClick={() => setPicking(true)}>
            <Icon name="smile" />
          </button>
          {!inThread && onOpenThread && (
            <button type="button" className="icon-button" aria-label="Reply in thread" title="Reply in thread" onClick={() => onOpenThread(m._id)}>
              <Icon name="thread" />
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label={starred ? 'Unstar' : 'Star'}
            title={starred ? 'Unstar' : 'Star'}
            aria-pressed={starred}
            onClick={() => void messagesApi.setStarred(m._id, !starred).catch(reportError)}
          >
            <Icon name="star" filled={starred} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={m.pinned ? 'Unpin' : 'Pin'}
            title={m.pinned ? 'Unpin' : 'Pin'}
            aria-pressed={Boolean(m.pinned)}
            onClick={() => void messagesApi.setPinned(m._id, !m.pinned).catch(reportError)}
          >
            <Icon name="pin" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Copy link"
            title="Copy link"
            onClick={() => {
              const url = new URL(roomPath(m.rid, { msgId: m._id }), window.location.origin).href;
              void navigator.clipboard?.writeText(url).then(
                () => chatStore.toast({ text: 'Link copied', kind: 'info' }),
                () => chatStore.toast({ text: url, kind: 'info' }),
              );
            }}
          >
            <Icon name="link" />
          </button>
          {mine && (
            <button type="button" className="icon-button" aria-label="Edit" title="Edit" onClick={() => setEditing(true)}>
              <Icon name="edit" />
            </button>
          )}
          {(mine || canModerate) && (
            <button type="button" className="icon-button danger" aria-label="Delete" title="Delete" onClick={() => setConfirmDelete(true)}>
              <Icon name="trash" />
            </button>
          )}
        </div>
      )}
      {picking && <ReactionPicker onPick={react} onClose={() => setPicking(false)} />}
      {confirmDelete && (
        <Dialog
          title="Delete message"
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                data-autofocus
                onClick={() => {
                  setConfirmDelete(false);
                  void chatStore.deleteMessage(m).catch(reportError);
                }}
              >
                Delete
              </button>
            </>
          }
        >
          <p>Delete this message for everyone? This cannot be undone.</p>
          <blockquote className="delete-preview markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(m.msg, me.username) }} />
        </Dialog>
      )}
    </article>
  );
});

function MessageEditor({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => Promise<void>; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!text.trim() || text === initial) return onCancel();
    setBusy(true);
    try {
      await onSave(text);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <div className="message-editor">
      <textarea
        aria-label="Edit message"
        autoFocus
        value={text}
        rows={Math.min(8, text.split('\n').length + 1)}
        onFocus={(e) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void save();
          }
        }}
      />
      <div className="message-editor-actions">
        <span className="muted">Escape to cancel · Enter to save</span>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button-small button-primary" disabled={busy} onClick={() => void save()}>
          Save
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

/** A message the server has not confirmed yet: sending, or failed with Retry. */
export function PendingItem({ pending, me, grouped }: { pending: PendingMessage; me: { username: string }; grouped: boolean }) {
  const failed = pending.status === 'failed';
  return (
    <article className={`message pending${grouped ? ' grouped' : ''}${failed ? ' failed' : ''}`} data-pending-id={pending._id} data-status={pending.status}>
      <div className="message-gutter">{!grouped && <Avatar username={me.username} size={36} />}</div>
      <div className="message-main">
        {!grouped && (
          <header className="message-header">
            <span className="message-author">{chatStore.state.me?.name ?? me.username}</span>
            <span className="message-username">@{me.username}</span>
          </header>
        )}
        <div className="message-body">
          <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(pending.msg, me.username) }} />
        </div>
        {failed ? (
          <div className="pending-status failed" role="alert">
            <Icon name="alert" size={14} /> {pending.error ?? 'Not delivered.'}
            <button type="button" className="link-button" onClick={() => chatStore.retryMessage(pending.rid, pending._id)}>
              Retry
            </button>
            <button type="button" className="link-button" onClick={() => chatStore.discardMessage(pending.rid, pending._id)}>
              Discard
            </button>
          </div>
        ) : (
          <div className="pending-status">Sending…</div>
        )}
      </div>
    </article>
  );
}

/** A reply only this user sees (slash commands); gone on dismiss or reload. */
export function EphemeralItem({ message, me }: { message: EphemeralMessageDto; me: string }) {
  return (
    <article className="message ephemeral" data-ephemeral-id={message._id}>
      <div className="message-gutter">
        <Avatar username={message.u.username} size={36} />
      </div>
      <div className="message-main">
        <header className="message-header">
          <span className="message-author">{message.u.username}</span>
          <span className="tag">Only visible to you</span>
          <time dateTime={message.ts} title={formatFull(message.ts)}>
            {formatTime(message.ts)}
          </time>
        </header>
        <div className="message-body">
          <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(message.msg, me) }} />
        </div>
        {message.attachments && message.attachments.length > 0 && <MessageAttachments attachments={message.attachments} me={me} />}
        <button type="button" className="link-button small" onClick={() => chatStore.dismissEphemeral(message.rid, message._id)}>
          Dismiss
        </button>
      </div>
    </article>
  );
}
