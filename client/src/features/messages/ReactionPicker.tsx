import { useEffect, useRef } from 'react';
import { EMOJI, PICKER_EMOJI } from '../../lib/emoji';

/** A small grid of common emoji; arrow keys move, Enter picks, Escape closes. */
export function ReactionPicker({ onPick, onClose }: { onPick: (shortcode: string) => void; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);

  const columns = 8;
  const move = (e: React.KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const delta = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[e.key];
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (delta !== undefined && index >= 0) {
      e.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, index + delta))]?.focus();
    }
  };

  return (
    <div className="reaction-picker" ref={ref} role="dialog" aria-label="Pick a reaction" onKeyDown={move}>
      <div className="reaction-grid">
        {PICKER_EMOJI.map((code) => (
          <button
            key={code}
            type="button"
            className="reaction-choice"
            title={code}
            aria-label={code.slice(1, -1).replace(/_/g, ' ')}
            data-emoji={code}
            onClick={() => {
              onPick(code);
              onClose();
            }}
          >
            {EMOJI[code]}
          </button>
        ))}
      </div>
    </div>
  );
}
