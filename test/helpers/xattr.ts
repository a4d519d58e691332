import {native} from '../../src/native'

/** An extended attribute as text, or undefined when absent (read as root, no namespace needed). */
export function getxattr(file: string, name: string): string | undefined {
  return native().getxattr(file, name)?.toString('utf8')
}
