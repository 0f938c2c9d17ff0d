const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/**
 * A Rocket.Chat style random id (17 chars). Used as the `_id` of a message before the
 * server has seen it, so a retry is recognised as the same message. crypto.randomUUID
 * needs a secure context, which a self-hosted server on plain http may not be.
 */
export function randomId(length = 17): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}
