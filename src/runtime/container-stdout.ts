// What a container writes reaches this process's stdout even under the global --noout, which
// silences only tspod's own output (as Podman's): the CLI then gives process.stdout a write of
// its own that drops everything; the stream's real one is still its prototype's.
export function writeContainerStdout(chunk: Buffer | string): void {
  const stdout = process.stdout
  const write = Object.hasOwn(stdout, 'write') ? (Object.getPrototypeOf(stdout) as typeof stdout).write : stdout.write
  write.call(stdout, chunk)
}
