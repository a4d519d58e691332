// The words that named the running command (`ps`, `container ls`), for messages that name it as
// the user wrote it (`See 'tspod ps --help'`); main.ts sets them before the command runs. And
// whether a remote service was asked for (remote.ts): root help then does not offer --remote.
// And whether the command left a process it was following running (a detached terminal): what
// still watches it must not keep this one alive, so main.ts ends at once.
export const invocation: {path: string[]; remote?: boolean; leftRunning?: boolean} = {path: []}
