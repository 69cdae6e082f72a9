/** Text every backend can store as it is: PostgreSQL refuses NUL characters and unpaired surrogates in text. */

/**
 * @example isStorableText('c-42') // true
 * @example isStorableText('a\u0000b') // false
 */
export function isStorableText(text: string): boolean {
  // String.prototype.isWellFormed exists from Node 20; the ES2023 lib this project targets does not declare it.
  return (text as string & { isWellFormed(): boolean }).isWellFormed() && !text.includes('\u0000');
}
