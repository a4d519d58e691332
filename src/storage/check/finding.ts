// One line of `tspod system check`: what was found (or repaired) about which object.
export interface Finding { kind: string; subject: string; message: string; repaired?: boolean; error?: string }
