// The flags `manifest add` and `manifest annotate` share: an instance's platform and annotations.
import {Flags} from '@oclif/core'

import type {InstanceOverrides} from '../engine'

export const instanceFlags = {
  annotation: Flags.string({multiple: true, multipleNonGreedy: true, description: 'set an annotation for the specified image'}),
  arch: Flags.string({description: 'override the architecture of the specified image'}),
  features: Flags.string({multiple: true, multipleNonGreedy: true, description: 'override the features of the specified image'}),
  os: Flags.string({description: 'override the OS of the specified image'}),
  'os-version': Flags.string({description: 'override the OS version of the specified image'}),
  variant: Flags.string({description: 'override the Variant of the specified image'}),
}

export function instanceOverrides(flags: {
  annotation?: string[]
  arch?: string
  features?: string[]
  os?: string
  'os-version'?: string
  variant?: string
  'os-features'?: string[]
}): InstanceOverrides {
  return {
    annotations: flags.annotation,
    arch: flags.arch,
    features: flags.features?.flatMap((f) => f.split(',')),
    os: flags.os,
    osVersion: flags['os-version'],
    osFeatures: flags['os-features']?.flatMap((f) => f.split(',')),
    variant: flags.variant,
  }
}
