// The words that named the running command (`ps`, `container ls`), for messages that name it as
// the user wrote it (`See 'tspod ps --help'`); main.ts sets them before the command runs.
export const invocation: {path: string[]} = {path: []}
