// The `-o KEY=VALUE` values libnetwork parses for its drivers, with Go's parse errors as Podman
// prints them: an empty mtu or vlan is the default, and a boolean as strconv.ParseBool reads it.
import {TspodError} from '../../../errors'

function atoi(value: string): number {
  if (!/^[+-]?[0-9]+$/.test(value)) throw new TspodError(`strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`)
  return Number(value)
}

export function parseMtu(value: string): number {
  if (value === '') return 0
  const mtu = atoi(value)
  if (mtu < 0) throw new TspodError(`mtu ${mtu} is less than zero`)
  return mtu
}

export function parseVlan(value: string): number {
  if (value === '') return 0
  const vlan = atoi(value)
  if (vlan < 0 || vlan > 4094) throw new TspodError(`vlan ID ${vlan} must be between 0 and 4094`)
  return vlan
}

const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True']
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False']

export function parseBool(value: string): boolean {
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  throw new TspodError(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`)
}
