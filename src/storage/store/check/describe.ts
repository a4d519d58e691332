// How findings name store objects: 12-digit short ids, an image by its first name.
import type {Image} from '../images/images'

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12)
}

export function imageLabel(image: Image): string {
  return image.names.length > 0 ? `${image.names[0]} (${shortId(image.id)})` : shortId(image.id)
}

export function listed(items: string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ')
}
