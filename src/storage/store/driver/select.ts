// The driver a store is opened with, by name (storage.conf's `driver`, --storage-driver).
import {TspodError} from '../../../errors'
import type {LayerDriver} from './layer-driver'
import {OverlayDriver} from './overlay'
import {VfsDriver} from './vfs'

export const DRIVERS = ['overlay', 'vfs'] as const

export function driverNamed(name: string, graphRoot: string): LayerDriver {
  if (name === 'overlay') return new OverlayDriver(graphRoot)
  if (name === 'vfs') return new VfsDriver(graphRoot)
  throw new TspodError(`failed to GetDriver graph ${name} ${graphRoot}: driver not supported`)
}
