// The values of a Podman "string slice" flag as the Engine takes them (`--filter a=1,b=2` is two),
// read by the runtime's CSV reader, for the CLI, which reads no runtime module itself.
import {splitStringSliceFlag} from '../runtime/network/string-slice-flag'

/** Every occurrence's values, in order; `flag` names it as pflag does in errors ("-f, --filter"). */
export function stringSliceFlagValues(values: string[] | undefined, flag: string): string[] {
  return (values ?? []).flatMap((v) => splitStringSliceFlag(v, flag))
}
