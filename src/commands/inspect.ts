import ImageInspect from './image/inspect'

/** `tspod inspect`: images for now (containers join them with the runtime). */
export default class Inspect extends ImageInspect {
  static summary = 'Display the configuration of an object denoted by ID or name'
}
