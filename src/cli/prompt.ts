// Podman's confirmation prompts: the question on stdout, then one line read from stdin as Go's
// bufio ReadString('\n') reads it. No terminal is needed (`echo y | tspod system prune` goes on);
// input that ends before a newline, or no input at all, is an error (EOF), as in Podman.
import {TspodError} from '../errors'

/** One line from stdin, its newline included; rejects with EOF when the input ends first. */
export function readLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (d: Buffer) => {
      text += String(d)
      const newline = text.indexOf('\n')
      if (newline < 0) return
      cleanup()
      resolve(text.slice(0, newline + 1))
    }
    const onEnd = () => {
      cleanup()
      reject(new TspodError('EOF'))
    }
    const cleanup = () => {
      process.stdin.off('data', onData)
      process.stdin.off('end', onEnd)
      process.stdin.pause()
    }
    process.stdin.on('data', onData)
    process.stdin.once('end', onEnd)
  })
}

/** Print `question` and read the answer: true for an answer starting with y or Y. */
export async function confirm(question: string): Promise<boolean> {
  process.stdout.write(question)
  const answer = await readLine()
  return answer[0]?.toLowerCase() === 'y'
}
