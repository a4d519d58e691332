// A mistake on the command line, told as cobra tells it: `Error: <what>`, then a line saying
// where to look (`See 'tspod run --help'`, `Try 'tspod image --help' for more information`).
import {UsageError} from '../errors'
import {programName} from './program-name'

export class CommandLineError extends UsageError {
  constructor(message: string, readonly followUp?: string) {
    super(message)
  }
}

/** pflag's flag errors end with this line. */
export function seeHelp(path: string[]): string {
  return `See '${[programName(), ...path].join(' ')} --help'`
}
