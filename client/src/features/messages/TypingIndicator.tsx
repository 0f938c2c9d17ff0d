import { useChat, type TypingEntry } from '../../state/chatStore';

const NONE: TypingEntry[] = [];

export function TypingIndicator({ rid, tmid }: { rid: string; tmid?: string }) {
  const entries = useChat((s) => s.typing[tmid ? `${rid}:${tmid}` : rid] ?? NONE);
  const names = entries.map((e) => e.username);
  let text = '';
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
  else if (names.length > 2) text = 'Several people are typing…';
  return (
    <div className="typing-indicator" aria-live="polite" data-testid="typing-indicator">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
