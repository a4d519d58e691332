// One thing `tspod system check` found: what kind of damage, on what (a path, an image, a
// layer), in words; with --repair, whether it was repaired or why not.
export interface Finding {
  kind: string
  subject: string
  message: string
  repaired?: boolean
  error?: string
}
