// A Podman "string slice" flag's values as the command line gives them: each occurrence read as a
// CSV record (`--filter a=1,b=2` is two values); a bad one is pflag's flag error, with where to look.
import {stringSliceFlagValues} from '../engine/string-slice'
import {CommandLineError, seeHelp} from './command-line-error'

/** `flag` names it as pflag does in errors ("-f, --filter"); `path` is the command's words. */
export function stringSliceValues(values: string[] | undefined, flag: string, path: string[]): string[] {
  try {
    return stringSliceFlagValues(values, flag)
  } catch (err) {
    throw new CommandLineError((err as Error).message, seeHelp(path))
  }
}
