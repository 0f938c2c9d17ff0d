import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MessageDto } from '@obmeet/contracts';
import { Icon } from '../../components/Icon';
import { dayKey, formatDay } from '../../lib/time';
import { chatStore, useChat, type PendingMessage } from '../../state/chatStore';
import { isInMainList } from '../../state/messageMerge';
import type { EphemeralMessageDto } from '@obmeet/contracts';
import { EphemeralItem, MessageItem, PendingItem } from './MessageItem';

const GROUP_WINDOW_MS = 5 * 60_000;
const NEAR_EDGE_PX = 160;
const EMPTY: PendingMessage[] = [];
const NO_EPHEMERAL: EphemeralMessageDto[] = [];

type Row =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'divider'; key: string }
  | { kind: 'message'; key: string; message: MessageDto; grouped: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage; grouped: boolean }
  | { kind: 'ephemeral'; key: string; message: EphemeralMessageDto };

/** Same author, same day, a few minutes apart, no thread in between: shown as one block. */
function continues(
  prev: { u: { _id: string }; ts: string; t?: string; tcount?: number; alias?: string } | undefined,
  next: { u: { _id: string }; ts: string; t?: string; alias?: string },
) {
  if (!prev || prev.t || next.t || (prev.tcount ?? 0) > 0 || prev.alias !== next.alias) return false;
  if (prev.u._id !== next.u._id || dayKey(prev.ts) !== dayKey(next.ts)) return false;
  return new Date(next.ts).getTime() - new Date(prev.ts).getTime() < GROUP_WINDOW_MS;
}

function buildRows(
  messages: MessageDto[],
  pending: PendingMessage[],
  ephemeral: EphemeralMessageDto[],
  dividerAfterSeq: number | null,
  meId: string,
): Row[] {
  const rows: Row[] = [];
  let prev: MessageDto | { u: { _id: string }; ts: string } | undefined;
  let dividerPlaced = dividerAfterSeq === null;
  for (const m of messages) {
    if (!isInMainList(m) || m.deleted) continue;
    if (!prev || dayKey(prev.ts) !== dayKey(m.ts)) {
      rows.push({ kind: 'day', key: `day-${dayKey(m.ts)}`, label: formatDay(m.ts) });
      prev = undefined;
    }
    let breakGroup = false;
    if (!dividerPlaced && m.seq > (dividerAfterSeq ?? 0) && m.u._id !== meId) {
      rows.push({ kind: 'divider', key: 'new-messages' });
      dividerPlaced = true;
      breakGroup = true;
    }
    rows.push({ kind: 'message', key: m._id, message: m, grouped: !breakGroup && continues(prev, m) });
    prev = m;
  }
  for (const p of pending) {
    if (p.tmid && !p.tshow) continue;
    const asMessage = { u: { _id: meId }, ts: p.ts };
    if (!prev || dayKey(prev.ts) !== dayKey(p.ts)) rows.push({ kind: 'day', key: `day-${dayKey(p.ts)}`, label: formatDay(p.ts) });
    rows.push({ kind: 'pending', key: p._id, pending: p, grouped: continues(prev, asMessage) });
    prev = asMessage;
  }
  for (const e of ephemeral) if (!e.tmid) rows.push({ kind: 'ephemeral', key: `ephemeral-${e._id}`, message: e });
  return rows;
}

export function MessageList({
  rid,
  me,
  canModerate,
  canInteract,
  dividerAfterSeq,
  focusMsgId,
  onOpenThread,
  emptyState,
}: {
  rid: string;
  me: { _id: string; username: string };
  canModerate: boolean;
  canInteract: boolean;
  dividerAfterSeq: number | null;
  focusMsgId?: string;
  onOpenThread: (tmid: string) => void;
  emptyState: React.ReactNode;
}) {
  const timeline = useChat((s) => s.timelines[rid]);
  const pending = useChat((s) => s.pending[rid] ?? EMPTY);
  const ephemeral = useChat((s) => s.ephemeral[rid] ?? NO_EPHEMERAL);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const restoreFromBottom = useRef<number | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const [jumpError, setJumpError] = useState<string | null>(null);
  const initialScrollDone = useRef(false);

  const messages = timeline?.messages;
  const startReached = Boolean(timeline?.loaded && timeline.olderCursor === null);
  const rows = useMemo(
    () => buildRows(messages ?? [], pending, ephemeral, dividerAfterSeq, me._id),
    [messages, pending, ephemeral, dividerAfterSeq, me._id],
  );
  const lastRowKey = rows[rows.length - 1]?.key;

  const loadOlder = useCallback(() => {
    const el = scroller.current;
    const t = chatStore.state.timelines[rid];
    if (!el || !t?.loaded || t.loadingOlder || t.olderCursor === null) return;
    restoreFromBottom.current = el.scrollHeight - el.scrollTop;
    chatStore.loadOlder(rid).catch(() => {
      restoreFromBottom.current = null;
    });
  }, [rid]);

  // keep the view where the reader expects it after every change of the rows
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !timeline?.loaded) return;
    if (!initialScrollDone.current) {
      initialScrollDone.current = true;
      const divider = el.querySelector('.new-messages-divider');
      if (!focusMsgId && divider) {
        (divider as HTMLElement).scrollIntoView({ block: 'center' });
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_EDGE_PX;
      } else if (!focusMsgId) {
        el.scrollTop = el.scrollHeight;
      }
    } else if (restoreFromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - restoreFromBottom.current;
      restoreFromBottom.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    // at (or near) the top there is no further scroll event to wait for: a short page, or
    // a view opened at its first unread message, fetches older history right away
    if (el.scrollTop < NEAR_EDGE_PX || el.scrollHeight <= el.clientHeight + NEAR_EDGE_PX) loadOlder();
  }, [rows, timeline?.loaded, focusMsgId, loadOlder]);

  // count messages that arrived below the fold, for the "new messages" button
  const lastKey = useRef(lastRowKey);
  useEffect(() => {
    if (lastKey.current !== lastRowKey) {
      const last = rows[rows.length - 1];
      if (!stickToBottom.current && last?.kind === 'message' && last.message.u._id !== me._id) setUnseenBelow((n) => n + 1);
      // sending a message (or running a command) always brings you to the bottom
      if ((last?.kind === 'pending' || last?.kind === 'ephemeral') && scroller.current) {
        stickToBottom.current = true;
        scroller.current.scrollTop = scroller.current.scrollHeight;
      }
      lastKey.current = lastRowKey;
    }
  }, [lastRowKey, rows, me._id]);

  // jump to a message (a link, a notification, a thread's parent)
  useEffect(() => {
    if (!focusMsgId || !timeline?.loaded) return;
    let cancelled = false;
    setJumpError(null);
    chatStore
      .jumpTo(rid, focusMsgId)
      .then((found) => {
        if (cancelled) return;
        if (!found) return setJumpError('That message could not be found. It may have been deleted.');
        requestAnimationFrame(() => {
          const el = document.getElementById(`msg-${focusMsgId}`);
          if (!el) return setJumpError('That message is part of a thread.');
          stickToBottom.current = false;
          el.scrollIntoView({ block: 'center' });
          el.focus({ preventScroll: true });
          setHighlighted(focusMsgId);
          setTimeout(() => !cancelled && setHighlighted(null), 3000);
        });
      })
      .catch(() => !cancelled && setJumpError('Could not load that message.'));
    return () => {
      cancelled = true;
    };
  }, [rid, focusMsgId, timeline?.loaded]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const bottomGap = el.scrollHeight - el.scrollTop - el.clientHeight;
    const nowAtBottom = bottomGap < NEAR_EDGE_PX;
    const t = chatStore.state.timelines[rid];
    stickToBottom.current = nowAtBottom && !t?.hasMoreAfter;
    if (nowAtBottom !== atBottom) setAtBottom(nowAtBottom);
    if (nowAtBottom) setUnseenBelow(0);
    if (el.scrollTop < NEAR_EDGE_PX) loadOlder();
    if (nowAtBottom && t?.hasMoreAfter) void chatStore.loadNewer(rid).catch(() => undefined);
  };

  const jumpToLatest = async () => {
    if (timeline?.hasMoreAfter) await chatStore.loadLatest(rid);
    stickToBottom.current = true;
    setUnseenBelow(0);
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  if (!timeline || (!timeline.loaded && !timeline.error)) {
    return (
      <div className="message-list message-list-loading" aria-busy="true">
        <div className="skeleton-message" />
        <div className="skeleton-message" />
        <div className="skeleton-message short" />
      </div>
    );
  }
  if (timeline.error && !timeline.loaded) {
    return (
      <div className="message-list message-list-error" role="alert">
        <p>Could not load messages: {timeline.error}</p>
        <button type="button" className="button" onClick={() => void chatStore.loadLatest(rid).catch(() => undefined)}>
          Try again
        </button>
      </div>
    );
  }

  const hasVisible = rows.some((r) => r.kind === 'message' || r.kind === 'pending');
  return (
    <div className="message-list-wrap">
      <div className="message-list" ref={scroller} onScroll={onScroll} role="log" aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {timeline.loadingOlder && <div className="history-loading">Loading older messages…</div>}
        {startReached && <div className="room-start">{emptyState}</div>}
        {jumpError && (
          <p className="notice" role="alert">
            {jumpError}
          </p>
        )}
        {rows.map((row) => (
          <Fragment key={row.key}>
            {row.kind === 'day' && (
              <div className="day-separator" role="separator">
                <span>{row.label}</span>
              </div>
            )}
            {row.kind === 'divider' && (
              <div className="new-messages-divider" role="separator" data-testid="new-messages-divider">
                <span>New messages</span>
              </div>
            )}
            {row.kind === 'message' && (
              <MessageItem
                message={row.message}
                grouped={row.grouped}
                me={me}
                canModerate={canModerate}
                canInteract={canInteract}
                highlighted={highlighted === row.message._id}
                onOpenThread={onOpenThread}
              />
            )}
            {row.kind === 'pending' && <PendingItem pending={row.pending} me={me} grouped={row.grouped} />}
            {row.kind === 'ephemeral' && <EphemeralItem message={row.message} me={me.username} />}
          </Fragment>
        ))}
        {!hasVisible && startReached && <p className="muted center">No messages yet. Say hello!</p>}
        {timeline.loadingNewer && <div className="history-loading">Loading newer messages…</div>}
      </div>
      {(!atBottom || timeline.hasMoreAfter) && (
        <button type="button" className="jump-latest" onClick={() => void jumpToLatest()}>
          <Icon name="arrowDown" size={14} />
          {unseenBelow > 0 ? `${unseenBelow} new ${unseenBelow === 1 ? 'message' : 'messages'}` : 'Jump to latest'}
        </button>
      )}
    </div>
  );
}
