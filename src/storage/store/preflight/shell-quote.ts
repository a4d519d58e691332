// Paths inside the fix commands we print must survive copy and paste into a shell.
const SAFE = /^[A-Za-z0-9_\/.,:=+@%^-]+$/

export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}
