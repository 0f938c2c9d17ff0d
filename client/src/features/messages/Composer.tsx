import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, messagesApi, type SlashCommand } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { EMOJI, searchEmoji } from '../../lib/emoji';
import { drafts } from '../../lib/storage';
import { realtime } from '../../realtime';
import { chatStore, useChat } from '../../state/chatStore';
import { useComposerFiles } from '../files/ComposerFiles';

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;
const MAX_ROWS = 10;

// the command list rarely changes: fetch it once per page load
let commandsPromise: Promise<SlashCommand[]> | null = null;
function loadCommands(): Promise<SlashCommand[]> {
  commandsPromise ??= messagesApi
    .slashCommands()
    .then((r) => r.commands ?? [])
    .catch((e) => {
      // a server without slash commands answers 404: then the composer simply offers none
      if (!(e instanceof ApiError)) commandsPromise = null;
      return [];
    });
  return commandsPromise;
}

type Suggestion =
  | { kind: 'user'; value: string; username: string; name: string }
  | { kind: 'emoji'; value: string; code: string }
  | { kind: 'command'; value: string; command: SlashCommand };

interface Trigger {
  kind: 'user' | 'emoji' | 'command';
  start: number;
  query: string;
}

/** Finds what is being typed right before the caret: @name, :emoji or /command. */
function findTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(0, caret);
  const command = /^\/([\w-]*)$/.exec(before);
  if (command) return { kind: 'command', start: 0, query: command[1] };
  const mention = /(^|\s)@([\w.-]*)$/.exec(before);
  if (mention) return { kind: 'user', start: caret - mention[2].length - 1, query: mention[2] };
  const emoji = /(^|\s):([a-z0-9_+-]{2,})$/.exec(before);
  if (emoji) return { kind: 'emoji', start: caret - emoji[2].length - 1, query: emoji[2] };
  return null;
}

export function Composer({
  rid,
  tmid,
  placeholder,
  disabledReason,
  onSent,
  autoFocus = false,
}: {
  rid: string;
  tmid?: string;
  placeholder: string;
  disabledReason?: string;
  onSent?: () => void;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState(() => drafts.load(rid, tmid));
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [active, setActive] = useState(0);
  const [commands, setCommands] = useState<SlashCommand[]>([]);
  const members = useChat((s) => s.members[rid]);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typingSentAt = useRef(0);
  const caretAfterRender = useRef<number | null>(null);
  const typingIdle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const listId = useId();
  const me = chatStore.state.me?.username;
  const files = useComposerFiles({ rid, tmid, text, clearText: () => setText(''), tshow: alsoToRoom });

  useEffect(() => {
    void loadCommands().then(setCommands);
  }, []);

  // the draft of each room (and thread) survives switching rooms and reloading the page
  useEffect(() => {
    drafts.save(rid, text, tmid);
  }, [rid, tmid, text]);

  useEffect(
    () => () => {
      clearTimeout(typingIdle.current);
      if (typingSentAt.current) realtime.sendTyping(rid, false, tmid);
    },
    [rid, tmid],
  );

  useLayoutEffect(() => {
    const el = textarea.current;
    if (!el) return;
    // after an autocomplete the caret goes right after the inserted text, before the next key press
    if (caretAfterRender.current !== null) {
      el.focus();
      el.setSelectionRange(caretAfterRender.current, caretAfterRender.current);
      caretAfterRender.current = null;
    }
    el.style.height = 'auto';
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.style.height = `${Math.min(el.scrollHeight, lineHeight * MAX_ROWS + 16)}px`;
  }, [text]);

  const suggestions: Suggestion[] = (() => {
    if (!trigger) return [];
    const q = trigger.query.toLowerCase();
    if (trigger.kind === 'user') {
      const people = (members ?? [])
        .filter((m) => m.username !== me && (m.username.toLowerCase().startsWith(q) || m.name.toLowerCase().includes(q)))
        .slice(0, 8)
        .map((m): Suggestion => ({ kind: 'user', value: `@${m.username} `, username: m.username, name: m.name }));
      const groups = ['all', 'here']
        .filter((g) => g.startsWith(q))
        .map((g): Suggestion => ({ kind: 'user', value: `@${g} `, username: g, name: g === 'all' ? 'Notify everyone in this room' : 'Notify everyone online' }));
      return [...people, ...groups];
    }
    if (trigger.kind === 'emoji') return searchEmoji(q).map((code): Suggestion => ({ kind: 'emoji', value: `${code} `, code }));
    return commands
      .filter((c) => c.command.toLowerCase().startsWith(q))
      .slice(0, 10)
      .map((c): Suggestion => ({ kind: 'command', value: `/${c.command} `, command: c }));
  })();
  const open = suggestions.length > 0;

  function updateTrigger(value: string, caret: number) {
    const next = findTrigger(value, caret);
    setTrigger(next);
    if (next?.kind !== trigger?.kind || next?.query !== trigger?.query) setActive(0);
  }

  function accept(s: Suggestion) {
    if (!trigger || !textarea.current) return;
    const caret = textarea.current.selectionStart;
    const next = text.slice(0, trigger.start) + s.value + text.slice(caret);
    const position = trigger.start + s.value.length;
    caretAfterRender.current = position;
    setText(next);
    setTrigger(null);
  }

  function noteTyping(value: string) {
    clearTimeout(typingIdle.current);
    if (!value.trim()) {
      if (typingSentAt.current) realtime.sendTyping(rid, false, tmid);
      typingSentAt.current = 0;
      return;
    }
    if (Date.now() - typingSentAt.current > TYPING_REPEAT_MS) {
      realtime.sendTyping(rid, true, tmid);
      typingSentAt.current = Date.now();
    }
    typingIdle.current = setTimeout(() => {
      realtime.sendTyping(rid, false, tmid);
      typingSentAt.current = 0;
    }, TYPING_IDLE_MS);
  }

  async function send() {
    const message = text.trim();
    if (!message) return;
    setText('');
    setTrigger(null);
    noteTyping('');
    const command = /^\/([\w-]+)(?:\s+([\s\S]*))?$/.exec(message);
    if (command && commands.some((c) => c.command === command[1])) {
      try {
        await chatStore.runCommand(rid, command[1], command[2] ?? '', tmid);
      } catch (e) {
        chatStore.toast({ text: `/${command[1]}: ${errorMessage(e)}`, kind: 'error' });
        setText(message);
      }
    } else {
      chatStore.sendMessage(rid, message, tmid ? { tmid, tshow: alsoToRoom || undefined } : {});
    }
    onSent?.();
  }

  if (disabledReason) {
    return (
      <div className="composer composer-disabled" data-testid="composer-disabled">
        <Icon name="lock" size={16} />
        <span>{disabledReason}</span>
      </div>
    );
  }

  return (
    <div className="composer">
      {open && (
        <ul className="autocomplete" id={listId} role="listbox" aria-label="Suggestions">
          {suggestions.map((s, i) => (
            <li
              key={s.value}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
              onMouseEnter={() => setActive(i)}
            >
              {s.kind === 'user' && (
                <>
                  {s.username === 'all' || s.username === 'here' ? <Icon name="users" size={20} /> : <Avatar username={s.username} size={20} />}
                  <strong>@{s.username}</strong>
                  <span className="muted">{s.name}</span>
                </>
              )}
              {s.kind === 'emoji' && (
                <>
                  <span className="autocomplete-emoji">{EMOJI[s.code]}</span>
                  <span>{s.code}</span>
                </>
              )}
              {s.kind === 'command' && (
                <>
                  <strong>/{s.command.command}</strong>
                  {s.command.params && <span className="muted">{s.command.params}</span>}
                  {s.command.description && <span className="autocomplete-description">{s.command.description}</span>}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {files.panel}
      <div className="composer-box">
        {files.menu}
        <textarea
          ref={textarea}
          rows={1}
          // on a desktop, opening a room puts you in its composer; on a phone that would pop up the keyboard
          autoFocus={autoFocus && window.matchMedia('(min-width: 901px)').matches}
          value={text}
          placeholder={placeholder}
          aria-label={placeholder}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            updateTrigger(e.target.value, e.target.selectionStart);
            noteTyping(e.target.value);
          }}
          onSelect={(e) => updateTrigger(e.currentTarget.value, e.currentTarget.selectionStart)}
          onPaste={files.onPaste}
          onBlur={() => setTimeout(() => setTrigger(null), 150)}
          onKeyDown={(e) => {
            if (e.nativeEvent.isComposing) return;
            if (open) {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                const delta = e.key === 'ArrowDown' ? 1 : -1;
                setActive((i) => (i + delta + suggestions.length) % suggestions.length);
                return;
              }
              if (e.key === 'Enter' || e.key === 'Tab') {
                e.preventDefault();
                accept(suggestions[active] ?? suggestions[0]);
                return;
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setTrigger(null);
                return;
              }
            }
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="button" className="icon-button send-button" aria-label="Send message" title="Send (Enter)" disabled={!text.trim()} onClick={() => void send()}>
          <Icon name="send" />
        </button>
      </div>
      <div className="composer-hint">
        {tmid ? (
          <label className="checkbox checkbox-small">
            <input type="checkbox" checked={alsoToRoom} onChange={(e) => setAlsoToRoom(e.target.checked)} />
            Also send to the room
          </label>
        ) : (
          <span />
        )}
        <span className="muted">
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line · <strong>**bold**</strong> <em>_italic_</em> <code>`code`</code>
        </span>
      </div>
    </div>
  );
}
