// `build --logfile FILE`: what the build would print goes to FILE (mode 0600, truncated), as
// Podman's; its errors still go to stderr.
import * as fs from 'node:fs'

import {UsageError} from '../engine'

export class LogFile {
  private constructor(
    readonly path: string,
    readonly fd: number,
  ) {}

  static open(file: string): LogFile {
    try {
      return new LogFile(file, fs.openSync(file, 'w', 0o600))
    } catch (err) {
      throw new UsageError(`opening ${file}: ${(err as Error).message}`)
    }
  }

  /** `text` as one line. */
  line(text: string): void {
    fs.writeSync(this.fd, text.endsWith('\n') ? text : `${text}\n`)
  }

  close(): void {
    fs.closeSync(this.fd)
  }
}
