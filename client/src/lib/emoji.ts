/** The emoji the picker and `:shortcode:` autocomplete offer (shortcode → unicode). */
export const EMOJI: Record<string, string> = {
  ':thumbsup:': '👍',
  ':thumbsdown:': '👎',
  ':heart:': '❤️',
  ':smile:': '😄',
  ':joy:': '😂',
  ':laughing:': '😆',
  ':wink:': '😉',
  ':blush:': '😊',
  ':slight_smile:': '🙂',
  ':thinking:': '🤔',
  ':neutral_face:': '😐',
  ':confused:': '😕',
  ':cry:': '😢',
  ':sob:': '😭',
  ':angry:': '😠',
  ':scream:': '😱',
  ':sweat_smile:': '😅',
  ':sunglasses:': '😎',
  ':heart_eyes:': '😍',
  ':partying_face:': '🥳',
  ':tada:': '🎉',
  ':clap:': '👏',
  ':raised_hands:': '🙌',
  ':pray:': '🙏',
  ':wave:': '👋',
  ':ok_hand:': '👌',
  ':muscle:': '💪',
  ':eyes:': '👀',
  ':fire:': '🔥',
  ':rocket:': '🚀',
  ':star:': '⭐',
  ':sparkles:': '✨',
  ':100:': '💯',
  ':white_check_mark:': '✅',
  ':x:': '❌',
  ':warning:': '⚠️',
  ':bulb:': '💡',
  ':coffee:': '☕',
  ':pizza:': '🍕',
  ':beers:': '🍻',
  ':bug:': '🐛',
  ':memo:': '📝',
  ':calendar:': '📅',
  ':point_up:': '☝️',
};

/** Aliases people type that map to the same emoji. */
const ALIASES: Record<string, string> = { ':+1:': ':thumbsup:', ':-1:': ':thumbsdown:', ':smiley:': ':smile:' };

export const PICKER_EMOJI = Object.keys(EMOJI);

export function emojiFor(shortcode: string): string | undefined {
  return EMOJI[ALIASES[shortcode] ?? shortcode];
}

/** Replaces known `:shortcode:`s in plain text with their unicode emoji. */
export function replaceShortcodes(text: string): string {
  return text.replace(/:[a-z0-9_+-]+:/g, (code) => emojiFor(code) ?? code);
}

export function searchEmoji(prefix: string, limit = 8): string[] {
  const needle = prefix.toLowerCase();
  return PICKER_EMOJI.filter((code) => code.slice(1).startsWith(needle))
    .concat(PICKER_EMOJI.filter((code) => !code.slice(1).startsWith(needle) && code.includes(needle)))
    .slice(0, limit);
}
